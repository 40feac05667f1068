import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../support/httpServer.js';
import { requireBinaries } from '../support/binaries.js';
import { NEWEST } from '../support/pairs.js';
import { DRILL_ARGS } from '../support/drillRules.js';
import { runAgainst, runBuiltAgainst, withSandbox } from '../support/sandboxRun.js';

const TARGET_ENV = { TARGET_ENV: 'prod-eu-west-1' };

/**
 * Approved plans, --diff and --atomic end to end: the CLI, the real helm and kubectl, the sandbox.
 * All of it is the tool's own logic (see itOnNewest); helm 3's bare --wait is in every other story.
 */
describe.each(NEWEST)('approved plans, --diff and --atomic on the sandbox ($name)', (pair) => {
  // NEWEST is helm 4 where both pairs exist; off linux x64 it can be helm 3 (see scripts/tools.mjs).
  const helm4 = pair.name.startsWith('helm4');
  // The application's readiness endpoint and Grafana, both on 127.0.0.1.
  let app: LocalServer;
  let grafana: LocalServer;
  beforeAll(async () => {
    requireBinaries([pair]);
    app = await startLocalServer((_request, count) => ({ status: count < 2 ? 503 : 200 }));
    grafana = await startLocalServer((request) => ({ status: request.headers.authorization === 'Bearer e2e-token' ? 200 : 401, body: '{"id":1}' }));
  });
  afterAll(async () => {
    await app.close();
    await grafana.close();
  });

  // Six runs of the CLI against the sandbox in one story: more than the default 30 s on a loaded 2-core machine.
  it('dry-run --diff --plan-out, then --execute --plan runs exactly that plan; the same plan again is already applied, and refused once edited to another cluster', { timeout: 90_000 }, async () => {
    await withSandbox('drill', async (sandbox) => {
      const plan = join(sandbox.dir, 'plan.json');
      const dry = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--dry-run', '--diff', '--plan-out', 'plan.json'], TARGET_ENV);
      expect(dry.exitCode, dry.stderr).toBe(0);
      expect(sandbox.mutatingRequests()).toEqual([]);
      expect(dry.stdout).toContain('Manifest diff of videokit-api: revision 42 (current) -> 41 (target)');
      expect(dry.stdout).toContain('-          image: registry.example/videokit-api:1.42.0');
      expect(dry.stdout).toContain('+          image: registry.example/videokit-api:1.41.0');
      const document = JSON.parse(readFileSync(plan, 'utf8'));
      expect(document).toMatchObject({ kind: 'videokit-rollback/approved-plan', context: 'prod-eu-west-1-admin', cluster: { server: sandbox.url }, namespace: 'videokit', targetEnv: 'prod-eu-west-1' });
      expect(document.helm.version).toMatch(helm4 ? /^v4\.1\.4/ : /^v3\.17\.3/);
      expect(document.releases.map((r: { release: string; current: { revision: number }; target: { revision: number } }) => [r.release, r.current.revision, r.target.revision])).toEqual([
        ['videokit-api', 42, 41],
        ['videokit-worker', 18, 17],
      ]);

      // helm 4 also shows that --wait-strategy legacy is spelled --wait=legacy and accepted.
      const strategy = helm4 ? ['--wait-strategy', 'legacy'] : [];
      // The built bundle, in a process of its own: its HTTP clients (readiness, Grafana) must let it exit.
      const executed = await runBuiltAgainst(
        sandbox,
        pair,
        ['--plan', 'plan.json', '--execute', '--yes', '--atomic', ...strategy, '--check-url', `${app.url}/readyz`, '--annotate', '--output', 'json'],
        { ...TARGET_ENV, GRAFANA_URL: grafana.url, GRAFANA_TOKEN: 'e2e-token' },
      );
      expect(executed.exitCode, executed.stderr).toBe(0);
      const doc = JSON.parse(executed.stdout);
      expect(doc.planDocument).toMatchObject({ action: 'verified' });
      expect(doc.readiness).toEqual([expect.objectContaining({ ok: true, attempts: 2, lastStatus: 200 })]);
      expect(doc.annotation).toMatchObject({ ok: true, id: 1 });
      const annotation = JSON.parse(grafana.requests.at(-1)?.body ?? '{}');
      expect(annotation.text).toMatch(/videokit-api 42 -> 41 rolled-back; videokit-worker 18 -> 17 rolled-back\. Outcome: rolled-back \(exit 0\)/);
      expect(executed.stdout).not.toContain('e2e-token');
      const rollbacks = doc.commands.filter((c: { argv: string[] }) => c.argv[1] === 'rollback').map((c: { argv: string[] }) => c.argv.slice(2, 4).concat(c.argv.filter((a) => a.startsWith('--wait'))));
      expect(rollbacks).toEqual([['videokit-api', '41', helm4 ? '--wait=legacy' : '--wait'], ['videokit-worker', '17', helm4 ? '--wait=legacy' : '--wait']]);
      expect(sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ revision: 43, status: 'deployed', description: 'Rollback to 41' });
      expect(sandbox.releaseHistory('videokit-worker').at(-1)).toMatchObject({ revision: 19, status: 'deployed', description: 'Rollback to 17' });

      const writesBefore = sandbox.mutatingRequests().length;
      // The same plan again: the cluster shows that plan's own rollbacks, done since: already applied, no write.
      const again = await runAgainst(sandbox, pair, ['--plan', 'plan.json', '--execute', '--yes', '--output', 'json'], TARGET_ENV);
      expect(again.exitCode, again.stderr).toBe(0);
      expect(JSON.parse(again.stdout).releases).toEqual([
        expect.objectContaining({ release: 'videokit-api', result: 'already-applied', revision: 43 }),
        expect.objectContaining({ release: 'videokit-worker', result: 'already-applied', revision: 19 }),
      ]);
      expect(sandbox.mutatingRequests()).toHaveLength(writesBefore);

      // A plan edited after approval to point at another cluster is refused as well.
      writeFileSync(plan, JSON.stringify({ ...document, cluster: { server: 'https://elsewhere.example:6443' } }));
      const moved = await runAgainst(sandbox, pair, ['--plan', 'plan.json', '--execute', '--yes'], TARGET_ENV);
      expect(moved.exitCode).toBe(3);
      expect(moved.stderr).toContain(`cluster of context prod-eu-west-1-admin: approved https://elsewhere.example:6443, now ${sandbox.url}`);
      expect(sandbox.mutatingRequests()).toHaveLength(writesBefore);
    });
  });

  it('--atomic: worker never becomes ready, so worker and then api are rolled forward again to 18 and 42 (exit 4)', async () => {
    await withSandbox('drill', async (sandbox) => {
      sandbox.faults.stickDeployment('videokit-worker');
      const result = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes', '--atomic', '--timeout', '15s', '--output', 'json', '--transcript', 'atomic.log'], TARGET_ENV);
      // helm rollback's own --wait fails first, at the 15 s budget
      expect(result.exitCode, result.stderr).toBe(4);
      const doc = JSON.parse(result.stdout);
      expect(doc.restore).toMatchObject({ ok: true, releases: [{ release: 'videokit-worker', result: 'restored', to: 18 }, { release: 'videokit-api', result: 'restored', to: 42 }] });
      expect(doc.commands.filter((c: { phase: string }) => c.phase === 'restore').map((c: { argv: string[] }) => c.argv.slice(1, 4).join(' '))).toEqual([
        'rollback videokit-worker 18', 'rollout status deployment/videokit-worker', 'rollback videokit-api 42', 'rollout status deployment/videokit-api',
      ]);
      expect(sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ status: 'deployed', description: 'Rollback to 42' });
      expect(sandbox.releaseHistory('videokit-worker').at(-1)).toMatchObject({ status: 'deployed', description: 'Rollback to 18' });
      expect(sandbox.pods('videokit-api').filter((p) => p.ready).every((p) => p.image.endsWith(':1.42.0'))).toBe(true);
      const transcript = readFileSync(join(sandbox.dir, 'atomic.log'), 'utf8');
      expect(transcript).toMatch(/==== restore \(--atomic, budget 15s\)/);
      expect(transcript).toMatch(/==== restore complete ====/);
      expect(sandbox.errors()).toEqual([]);
    });
  });
});
