import { readFileSync, writeFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fileSha256 } from '../../src/app/identity.js';
import { MATRIX, requireBinaries } from '../support/binaries.js';
import { itOnNewest } from '../support/pairs.js';
import { DRILL_ARGS } from '../support/drillRules.js';
import { helmHistoryOf, runAgainst, withSandbox } from '../support/sandboxRun.js';
import { readRecord } from '../support/record.js';

/**
 * The built CLI against the local API emulator, driven by the real helm and kubectl,
 * for both version pairs. Short budgets keep the failure scenarios quick.
 */
describe.each(MATRIX)('end to end on the sandbox ($name)', (pair) => {
  const itOnce = itOnNewest(pair);
  beforeAll(() => requireBinaries([pair]));
  const TARGET_ENV = { TARGET_ENV: 'prod-eu-west-1' };

  it('dry-run plans 41 and 17 and sends no mutating request', async () => {
    await withSandbox('drill', async (sandbox) => {
      const run = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--dry-run', '--output', 'json'], TARGET_ENV);
      expect(run.stderr).not.toMatch(/error:/);
      expect(run.exitCode).toBe(0);
      const doc = JSON.parse(run.stdout);
      expect(doc.plan.releases.map((r: { release: string; target: { revision: number } }) => [r.release, r.target.revision])).toEqual([
        ['videokit-api', 41],
        ['videokit-worker', 17],
      ]);
      expect(sandbox.requests().length).toBeGreaterThan(0);
      expect(sandbox.mutatingRequests()).toEqual([]);
    });
  });

  it('execute rolls both releases back: new deployed revisions, old images, full transcript', async () => {
    await withSandbox('drill', async (sandbox) => {
      const run = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes', '--timeout', '2m', '--transcript', 'drill.jsonl'], TARGET_ENV);
      expect(run.stderr).not.toMatch(/error:/);
      expect(run.exitCode).toBe(0);

      const api = await helmHistoryOf(sandbox, pair, 'videokit-api');
      expect(api.at(-1)).toMatchObject({ revision: 43, status: 'deployed', description: 'Rollback to 41' });
      expect(api.find((r) => r.revision === 42)?.status).toBe('superseded');
      const worker = await helmHistoryOf(sandbox, pair, 'videokit-worker');
      expect(worker.at(-1)).toMatchObject({ revision: 19, status: 'deployed', description: 'Rollback to 17' });

      const apiPods = sandbox.pods('videokit-api').filter((p) => p.ready);
      expect(apiPods.length).toBeGreaterThan(0);
      expect(new Set(apiPods.map((p) => p.image))).toEqual(new Set(['registry.example/videokit-api:1.41.0']));
      expect(new Set(sandbox.pods('videokit-worker').filter((p) => p.ready).map((p) => p.image))).toEqual(
        new Set(['registry.example/videokit-worker:1.17.0']),
      );

      const events = readRecord(`${sandbox.dir}/drill.jsonl`);
      const started = events.filter((e) => e.type === 'command-start' && e.phase !== 'identity').map((e) => e.argv.slice(1, 3).join(' '));
      // Each helm rollback right after one read of that release's newest revision (compare before write),
      // inside the release's lock.
      expect(started.slice(4, 16)).toEqual([
        'create configmap', 'history videokit-api', 'rollback videokit-api', 'rollout status', 'get pods', 'delete configmap',
        'create configmap', 'history videokit-worker', 'rollback videokit-worker', 'rollout status', 'get pods', 'delete configmap',
      ]);
      // Then where each release stands, re-read for the report.
      expect(started.slice(16).sort()).toEqual(['get deployments,statefulsets,daemonsets', 'get deployments,statefulsets,daemonsets', 'history videokit-api', 'history videokit-worker']);
      // Output is streamed: a command's stdout is the text of its command-output events.
      const stdoutOf = (id: number) =>
        events.filter((e) => e.type === 'command-output' && e.id === id && e.stream === 'stdout').map((e) => e.text).join('');
      const podListings = events.filter((e) => e.type === 'command-start').map((e) => stdoutOf(e.id)).filter((out) => /READY\s+STATUS/.test(out));
      expect(podListings).toHaveLength(2);
      expect(podListings[0]).toMatch(/videokit-api-\S+\s+1\/1\s+Running/);
      expect(events.at(-1)).toMatchObject({ type: 'outcome', status: 'rolled-back', exitCode: 0 });

      // Who, what and where: the binaries' own versions and hashes, the sandbox's API server.
      const version = (path: string, tool: string) => new RegExp(`${tool}-(v[\\d.]+)/`).exec(path)?.[1];
      expect(events[0]).toMatchObject({
        type: 'run-start',
        identity: {
          helm: { path: pair.helm, version: version(pair.helm, 'helm'), sha256: await fileSha256(pair.helm), problem: null },
          kubectl: { path: pair.kubectl, version: version(pair.kubectl, 'kubectl'), sha256: await fileSha256(pair.kubectl), problem: null },
          kubeconfig: { paths: [sandbox.env.KUBECONFIG], context: sandbox.context, server: sandbox.url, problem: null },
        },
        targetEnv: 'prod-eu-west-1',
        targetEnvSource: { source: 'env', from: '$TARGET_ENV' },
        ci: null,
      });

      // The record verifies, with the digest the run printed; an edited operator name does not.
      const digest = /seal digest \(sha256\): ([0-9a-f]{64})/.exec(run.stderr)?.[1] ?? 'none printed';
      expect(await runAgainst(sandbox, pair, ['verify', 'drill.jsonl', '--digest', digest])).toMatchObject({ exitCode: 0 });
      const lines = readFileSync(`${sandbox.dir}/drill.jsonl`, 'utf8').split('\n');
      writeFileSync(`${sandbox.dir}/edited.jsonl`, [lines[0]?.replace(/"user":"[^"]*"/, '"user":"someone-else"'), ...lines.slice(1)].join('\n'));
      const edited = await runAgainst(sandbox, pair, ['verify', 'edited.jsonl']);
      expect(edited.exitCode).toBe(7);
      expect(edited.stdout).toContain('TAMPERED: line 1 was altered');
    });
  });

  itOnce('passes over a failed revision in between', async () => {
    await withSandbox('failed-between', async (sandbox) => {
      const run = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--dry-run']);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(/target\s+40\s+superseded/);
      expect(run.stdout).toContain('passed over revision 41 (failed): its deploy failed');
    });
  });

  it('a Deployment that never becomes ready: helm\'s own wait fails first, exit 4 within the budget', async () => {
    await withSandbox('never-ready', async (sandbox) => {
      const run = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes', '--timeout', '8s']);
      expect(run.exitCode).toBe(4);
      expect(run.stdout).toMatch(/videokit-api: rollback to 41 FAILED: helm rollback exited 1/);
      expect(run.stdout).toMatch(/videokit-worker: not touched/);
      expect(run.stdout).toContain('rollback videokit-api 42');
      // The budget holds: helm was given what was left of 8s, and nothing ran after it.
      expect(run.durationMs).toBeLessThan(8_000 + 6_000);
      expect((await helmHistoryOf(sandbox, pair, 'videokit-worker')).at(-1)?.revision).toBe(18);
    });
  });

  // helm 3's wait ignores the progress deadline and runs into its --timeout; helm 4's
  // watcher (kstatus) reads ProgressDeadlineExceeded as Failed and gives up at once.
  // Either way helm's own wait fails before kubectl's rollout status runs: exit 4.
  it('a rollout past its progress deadline: exit 4 and the reason', async () => {
    await withSandbox('progress-deadline', async (sandbox) => {
      const run = await runAgainst(sandbox, pair, ['--release', 'videokit-api', '--namespace', 'videokit', '--context', sandbox.context, '--execute', '--yes', '--timeout', '10s']);
      expect(run.exitCode).toBe(4);
      expect(run.stdout).toMatch(/videokit-api: rollback to 41 FAILED: helm rollback exited 1/);
      expect((await helmHistoryOf(sandbox, pair, 'videokit-api')).at(-1)).toMatchObject({ revision: 43, status: 'failed' });
    });
  });

  it('a release left pending-rollback is refused with nothing sent, and accepted with --allow-pending', async () => {
    await withSandbox('pending-rollback', async (sandbox) => {
      const refused = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes', '--timeout', '1m']);
      expect(refused.exitCode).toBe(3);
      expect(refused.stderr).toMatch(/videokit-api: current revision 43 is pending-rollback \(Rollback to 41\)/);
      expect(refused.stderr).toContain(`finish it with: videokit-rollback --execute --context ${sandbox.context} --namespace videokit --release videokit-api --allow-pending`);
      expect(sandbox.mutatingRequests()).toEqual([]);
      // Interrupted before it changed any object: 42's pods still run.
      expect(new Set(sandbox.pods('videokit-api').map((p) => p.image))).toEqual(new Set(['registry.example/videokit-api:1.42.0']));

      const accepted = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes', '--timeout', '1m', '--allow-pending']);
      expect(accepted.stderr).not.toMatch(/error:/);
      expect(accepted.exitCode).toBe(0);
      // Finishing the interrupted rollback: a new `Rollback to 41`, with the pods now on 41's images.
      expect((await helmHistoryOf(sandbox, pair, 'videokit-api')).at(-1)).toMatchObject({ revision: 44, status: 'deployed', description: 'Rollback to 41' });
      const pods = sandbox.pods('videokit-api').filter((p) => p.ready);
      expect(pods.length).toBeGreaterThan(0);
      expect(new Set(pods.map((p) => p.image))).toEqual(new Set(['registry.example/videokit-api:1.41.0']));
    });
  });

  itOnce('a single-revision release is skipped and the other rolled back', async () => {
    await withSandbox('single-revision', async (sandbox) => {
      const run = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes', '--timeout', '1m']);
      expect(run.exitCode).toBe(0);
      expect(run.stdout).toMatch(/videokit-worker: skipped: only revision 1 exists/);
      expect((await helmHistoryOf(sandbox, pair, 'videokit-api')).at(-1)).toMatchObject({ description: 'Rollback to 41' });
      expect((await helmHistoryOf(sandbox, pair, 'videokit-worker')).map((r) => r.revision)).toEqual([1]);
    });
  });

  itOnce('the wrong context for TARGET_ENV is refused before any request reaches the cluster', async () => {
    await withSandbox('drill', async (sandbox) => {
      const run = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes'], { TARGET_ENV: 'prod-us-east-1' });
      expect(run.exitCode).toBe(2);
      expect(run.stderr).toMatch(/does not belong to TARGET_ENV "prod-us-east-1"/);
      expect(sandbox.requests()).toEqual([]);
    });
  });
});
