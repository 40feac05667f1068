import { beforeAll, describe, expect, it } from 'vitest';
import { MATRIX, requireBinaries } from '../support/binaries.js';
import { itOnNewest } from '../support/pairs.js';
import { DRILL_ARGS } from '../support/drillRules.js';
import { helmHistoryOf, runAgainst, withSandbox } from '../support/sandboxRun.js';

/**
 * The CLI against the local API emulator, driven by the real helm and kubectl,
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
      expect(run.stdout).toMatch(/videokit-api: rollback to 41 FAILED: helm rollback exited 1: /);
      expect(run.stdout).toMatch(/videokit-worker: not touched/);
      expect(run.stdout).toContain('rollback videokit-api 42');
      // The budget holds: helm was given what was left of 8s, and nothing ran after it.
      expect(run.durationMs).toBeLessThan(8_000 + 6_000);
      // helm recorded its rollback as failed; the worker was never touched.
      expect((await helmHistoryOf(sandbox, pair, 'videokit-api')).at(-1)).toMatchObject({ revision: 43, status: 'failed' });
      expect(sandbox.releaseHistory('videokit-worker').at(-1)?.revision).toBe(18);
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
      expect(sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ revision: 44, status: 'deployed', description: 'Rollback to 41' });
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
      expect(sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ description: 'Rollback to 41' });
      expect(sandbox.releaseHistory('videokit-worker').map((r) => r.revision)).toEqual([1]);
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
