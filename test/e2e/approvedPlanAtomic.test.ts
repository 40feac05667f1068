import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MATRIX, requireBinaries } from '../support/binaries.js';
import { sandboxCli, type SandboxCli } from './sandboxRun.js';

const DRILL = ['--release', 'videokit-api', '--release', 'videokit-worker', '--namespace', 'videokit', '--context', 'prod-eu-west-1-admin'];
const ENV = { TARGET_ENV: 'prod-eu-west-1' };

describe.each(MATRIX)('approved plans and --atomic on the sandbox ($name)', (pair) => {
  let cli: SandboxCli | undefined;
  beforeAll(() => requireBinaries([pair]));
  afterEach(async () => {
    await cli?.sandbox.stop();
    cli = undefined;
  });

  it('dry-run --plan-out, then --execute --plan runs exactly that plan; the same plan is then refused because the cluster moved', async () => {
    cli = await sandboxCli(pair);
    const plan = join(cli.cwd, 'plan.json');
    const dry = await cli.run([...DRILL, '--dry-run', '--plan-out', plan], ENV);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(cli.sandbox.mutatingRequests()).toEqual([]);
    const document = JSON.parse(readFileSync(plan, 'utf8'));
    expect(document).toMatchObject({ kind: 'videokit-rollback/approved-plan', context: 'prod-eu-west-1-admin', cluster: { server: cli.sandbox.url }, namespace: 'videokit', targetEnv: 'prod-eu-west-1' });
    expect(document.releases.map((r: { release: string; current: { revision: number }; target: { revision: number } }) => [r.release, r.current.revision, r.target.revision])).toEqual([
      ['videokit-api', 42, 41],
      ['videokit-worker', 18, 17],
    ]);
    expect(document.helm.version).toMatch(/^v[34]\./);

    const executed = await cli.run(['--plan', plan, '--execute', '--yes', '--atomic', '--output', 'json'], ENV);
    expect(executed.exitCode, executed.stderr).toBe(0);
    expect(JSON.parse(executed.stdout).planDocument).toMatchObject({ action: 'verified' });
    expect(cli.sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ revision: 43, status: 'deployed', description: 'Rollback to 41' });
    expect(cli.sandbox.releaseHistory('videokit-worker').at(-1)).toMatchObject({ revision: 19, status: 'deployed', description: 'Rollback to 17' });

    const writesBefore = cli.sandbox.mutatingRequests().length;
    const again = await cli.run(['--plan', plan, '--execute', '--yes'], ENV);
    expect(again.exitCode).toBe(3);
    expect(again.stderr).toMatch(/videokit-api: new revision 43 \(deployed\) since the plan was approved at 42/);
    expect(again.stderr).toMatch(/videokit-worker: new revision 19 \(deployed\) since the plan was approved at 18/);
    expect(cli.sandbox.mutatingRequests()).toHaveLength(writesBefore);

    // A plan edited after approval to point at another cluster is refused as well.
    writeFileSync(plan, JSON.stringify({ ...document, cluster: { server: 'https://elsewhere.example:6443' } }));
    const moved = await cli.run(['--plan', plan, '--execute', '--yes'], ENV);
    expect(moved.exitCode).toBe(3);
    expect(moved.stderr).toContain(`cluster of context prod-eu-west-1-admin: approved https://elsewhere.example:6443, now ${cli.sandbox.url}`);
  });

  it('--atomic: worker never becomes ready, so worker and api are rolled forward again to 18 and 42', async () => {
    cli = await sandboxCli(pair);
    cli.sandbox.faults.stickDeployment('videokit-worker');
    const result = await cli.run([...DRILL, '--execute', '--yes', '--atomic', '--timeout', '15s', '--output', 'json'], ENV);
    const doc = JSON.parse(result.stdout);
    expect(result.exitCode, result.stderr).toBe(4); // helm rollback's own --wait fails first
    expect(doc.restore).toMatchObject({ ok: true, releases: [{ release: 'videokit-worker', result: 'restored', to: 18 }, { release: 'videokit-api', result: 'restored', to: 42 }] });
    expect(doc.commands.filter((c: { phase: string }) => c.phase === 'restore').map((c: { argv: string[] }) => c.argv.slice(1, 4).join(' '))).toEqual([
      'rollback videokit-worker 18', 'rollout status deployment/videokit-worker', 'rollback videokit-api 42', 'rollout status deployment/videokit-api',
    ]);
    expect(cli.sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ status: 'deployed', description: 'Rollback to 42' });
    expect(cli.sandbox.releaseHistory('videokit-worker').at(-1)).toMatchObject({ status: 'deployed', description: 'Rollback to 18' });
    expect(cli.sandbox.pods('videokit-api').every((p) => p.image.endsWith(':1.42.0') && p.ready)).toBe(true);
    expect(cli.sandbox.errors()).toEqual([]);
  });
});
