import { execa } from 'execa';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../sandbox/index.js';
import { MATRIX, requireBinaries } from '../support/binaries.js';
import { itOnNewest } from '../support/pairs.js';
import { waitFor } from '../support/cli.js';
import { DRILL_ARGS } from '../support/drillRules.js';
import { GO_CLIENT_ENV, helmWrote, runAgainst, scenario, startAgainst, withSandbox } from '../support/sandboxRun.js';
import { verifyTranscript } from '../../src/record/verify.js';
import { checkEvent } from '../../src/record/schemaCheck.js';
import { readRecord, readRecordSoFar } from '../support/record.js';

/**
 * The fault matrix: the CLI with the real helm and kubectl against the sandbox, with
 * the API server going away, slowing down, helm crashing, a release already pending
 * (a Deployment that never becomes ready is in sandbox.e2e). For each: the exit code,
 * what the operator is told, what the transcript holds and the release's state after;
 * never worse than a plain `helm rollback` would leave it. docs/testing.md's "Fault
 * matrix" table reports these.
 */
type Event = Record<string, unknown> & { type: string };

function eventsOf(path: string): Event[] {
  if (!existsSync(path)) return [];
  return readRecord(path);
}

/** argv without the binary's path (the sandbox runs helm and kubectl from .tools/). */
const words = (e: Event) => (e.argv as string[]).slice(1).join(' ');
const started = (events: Event[], prefix: string) => events.some((e) => e.type === 'command-start' && words(e).startsWith(prefix));
const writes = (events: Event[]) => events.filter((e) => e.type === 'command-start' && e.effect === 'write').map((e) => words(e).split(' ').slice(0, 2).join(' '));

describe.each(MATRIX)('fault matrix on the sandbox ($name)', (pair) => {
  const itOnce = itOnNewest(pair);
  beforeAll(() => requireBinaries([pair]));
  const EXEC = [...DRILL_ARGS, '--execute', '--yes', '--transcript', 'run.jsonl'];

  it('API server gone before planning: exit 3, nothing sent, release unchanged', async () => {
    await withSandbox('drill', async (sandbox) => {
      sandbox.faults.goAway();
      const run = await runAgainst(sandbox, pair, [...EXEC, '--timeout', '30s']);
      expect(run.exitCode).toBe(3);
      expect(run.stderr).toContain('videokit-rollback: error: planning refused the run; nothing was changed');
      expect(run.stderr).toMatch(/ {2}videokit-api: helm history exited 1: Error: [Kk]ubernetes cluster unreachable: .*connection refused/);
      expect(run.stderr).toContain('hint: the API server could not be reached');
      const events = eventsOf(join(sandbox.dir, 'run.jsonl'));
      expect(writes(events)).toEqual([]);
      expect(events.at(-1)).toMatchObject({ type: 'outcome', status: 'plan-refused', exitCode: 3 });
      await sandbox.faults.comeBack();
      expect(sandbox.mutatingRequests()).toEqual([]);
      expect(sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ revision: 42, status: 'deployed' });
    });
  });

  it('API server gone during helm rollback: exit 4, told to check for pending-rollback; a second run recovers it', async () => {
    await withSandbox('drill', async (sandbox) => {
      sandbox.faults.setPodReadyDelayMs(5_000); // helm's --wait is still waiting when the API goes
      const child = startAgainst(sandbox, pair, [...EXEC, '--timeout', '8s']);
      await waitFor('helm rollback to write the pending revision', () => helmWrote(sandbox), 30_000);
      sandbox.faults.goAway();
      const run = await child;
      expect(run.exitCode).toBe(4);
      // helm either gives up by itself or, still retrying the vanished API past its
      // --timeout (helm 4 on a loaded machine), is ended by the watchdog: both exit 4.
      expect(run.stdout).toMatch(/videokit-api: rollback to 41 FAILED: helm rollback (exited 1: |outlived its time limit and was ended by the watchdog)/);
      expect(run.stdout).toMatch(/videokit-worker: not touched \(still at revision 18\)/);
      expect(run.stderr).toMatch(/hint: .*`helm history videokit-api` \(same --namespace and --kube-context\)/);
      const events = eventsOf(join(sandbox.dir, 'run.jsonl'));
      // The lock, the write; the unlock was tried with the API gone and could not be done.
      expect(writes(events)).toEqual(['create configmap', 'rollback videokit-api', 'delete configmap']);
      expect(events.at(-1)).toMatchObject({ type: 'outcome', status: 'rollback-failed', exitCode: 4 });
      const removal = `delete configmap videokit-rollback-lock.videokit-api --namespace videokit --context ${sandbox.context}`;
      expect(run.stderr).toContain('the lock on videokit-api was not released');

      await sandbox.faults.comeBack();
      // The recovery run is refused by the lock left behind until the operator removes it as told.
      const locked = await runAgainst(sandbox, pair, ['--release', 'videokit-api', '--namespace', 'videokit', '--context', sandbox.context, '--execute', '--yes', '--timeout', '1m', '--allow-pending']);
      expect(locked.exitCode).toBe(3);
      expect(locked.stderr).toContain(`if that run is gone, remove the stale lock with: ${pair.kubectl} ${removal}`);
      await execa(pair.kubectl, removal.split(' '), { env: { PATH: '/usr/bin:/bin', ...sandbox.env, ...GO_CLIENT_ENV }, extendEnv: false });
      sandbox.faults.setPodReadyDelayMs(300);
      // helm could not record the end: the new revision stays pending-rollback, as a plain
      // `helm rollback` would leave it; the worker was never touched.
      const api = sandbox.releaseHistory('videokit-api');
      expect(api.at(-1)).toMatchObject({ revision: 43, status: 'pending-rollback', description: 'Rollback to 41' });
      expect(sandbox.releaseHistory('videokit-worker').at(-1)).toMatchObject({ revision: 18, status: 'deployed' });
      // The way out the hint names: --allow-pending finishes the interrupted rollback, to 41.
      const again = await runAgainst(sandbox, pair, ['--release', 'videokit-api', '--namespace', 'videokit', '--context', sandbox.context, '--execute', '--yes', '--timeout', '1m', '--allow-pending']);
      expect(again.exitCode).toBe(0);
      expect(sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ revision: 44, status: 'deployed', description: 'Rollback to 41' });
    });
  }, 90_000);

  itOnce('API server gone during rollout status: exit 5, the release is rolled back but not verified', async () => {
    await withSandbox('drill', async (sandbox) => {
      const path = join(sandbox.dir, 'run.jsonl');
      const child = startAgainst(sandbox, pair, [...EXEC, '--timeout', '30s']);
      await waitFor('rollout status to start', () => started(readRecordSoFar(path), 'rollout status'), 60_000);
      sandbox.faults.goAway();
      const run = await child;
      expect(run.exitCode).toBe(5);
      expect(run.stdout).toMatch(/videokit-api: rolled back to 41 but NOT healthy: rollout status deployment\/videokit-api exited 1: /);
      expect(run.stdout).toMatch(/videokit-worker: not touched/);
      const events = eventsOf(path);
      expect(events.at(-1)).toMatchObject({ type: 'outcome', status: 'unhealthy', exitCode: 5 });
      expect((events.at(-1)?.restoreCommands as string[])[0]).toMatch(/^\S+ rollback videokit-api 42 /);
      await sandbox.faults.comeBack();
      expect(sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ revision: 43, status: 'deployed' });
    });
  }, 90_000);

  itOnce('API server slow (100 ms a request): completes within the budget', async () => {
    await withSandbox('drill', async (sandbox) => {
      sandbox.faults.setLatencyMs(100);
      const run = await runAgainst(sandbox, pair, [...EXEC, '--timeout', '1m']);
      expect(run.stderr).not.toMatch(/error:/);
      expect(run.exitCode).toBe(0);
      expect(sandbox.releaseHistory('videokit-worker').at(-1)).toMatchObject({ revision: 19, status: 'deployed' });
    });
  }, 90_000);

  it('helm crashing mid-rollback (killed by SIGKILL): exit 4, pending-rollback named in the hint', async () => {
    await withSandbox('drill', async (sandbox) => {
      sandbox.faults.setPodReadyDelayMs(5_000);
      // A helm that records its pid, then becomes the real helm (same pid), so the test can crash it.
      const pidFile = join(sandbox.dir, 'helm.pid');
      const crashable = join(sandbox.dir, 'helm');
      writeFileSync(crashable, `#!/bin/sh\n[ "$1" = rollback ] && echo $$ > "${pidFile}"\nexec "${pair.helm}" "$@"\n`);
      chmodSync(crashable, 0o755);
      const child = startAgainst(sandbox, pair, [...EXEC, '--timeout', '30s'], { HELM_BIN: crashable });
      await waitFor('helm rollback to write the pending revision', () => helmWrote(sandbox) && existsSync(pidFile), 30_000);
      process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
      const run = await child;
      expect(run.exitCode).toBe(4);
      expect(run.stdout).toMatch(/videokit-api: rollback to 41 FAILED: helm rollback was killed by SIGKILL/);
      expect(run.stderr).toContain('hint: helm was killed mid-rollback, which can leave videokit-api pending-rollback');
      const events = eventsOf(join(sandbox.dir, 'run.jsonl'));
      expect(events.find((e) => e.type === 'command-end' && String(e.command).includes(' rollback '))).toMatchObject({ signal: 'SIGKILL', exitCode: null });
      expect(sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ revision: 43, status: 'pending-rollback' });
      expect(sandbox.releaseHistory('videokit-worker').at(-1)).toMatchObject({ revision: 18 });
    });
  }, 90_000);

  it('a release already pending-upgrade: refused (exit 3, nothing sent); --allow-pending rolls back to the deployed one', async () => {
    const drill = JSON.parse(readFileSync(scenario('drill'), 'utf8'));
    drill.releases[0].revisions.push({
      revision: 43, status: 'pending-upgrade', chart: { name: 'videokit-api', version: '0.43.0' }, appVersion: '1.43.0', imageTag: '1.43.0', description: 'Upgrade "videokit-api" in progress',
    });
    drill.releases[0].liveRevision = 43;
    const sandbox = await startSandbox({ scenario: drill });
    try {
      const refused = await runAgainst(sandbox, pair, [...EXEC, '--timeout', '1m']);
      expect(refused.exitCode).toBe(3);
      expect(refused.stderr).toContain(
        '  videokit-api: current revision 43 is pending-upgrade: another helm operation may still be running (pass --allow-pending to roll back a stuck release)',
      );
      expect(sandbox.mutatingRequests()).toEqual([]);
      const accepted = await runAgainst(sandbox, pair, [...EXEC, '--timeout', '1m', '--allow-pending']);
      expect(accepted.exitCode).toBe(0);
      expect(sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ revision: 44, status: 'deployed', description: 'Rollback to 42' });
    } finally {
      await sandbox.stop();
    }
  }, 90_000);

  it('kill -9 of the tool during helm rollback: the transcript parses, and helm (its own process group) still finishes', async () => {
    await withSandbox('drill', async (sandbox) => {
      sandbox.faults.setPodReadyDelayMs(1_500);
      const path = join(sandbox.dir, 'killed.jsonl');
      const child = startAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes', '--timeout', '1m', '--transcript', path]);
      await waitFor('helm rollback to write', () => helmWrote(sandbox), 30_000);
      child.kill('SIGKILL');
      await child;
      // A valid chain without its seal, ending in the write helm was still running.
      expect(verifyTranscript(readFileSync(path), checkEvent)).toMatchObject({ status: 'unsealed', runs: 1 });
      const events = readRecord(path).filter((e) => e.type !== 'command-output');
      expect(events.at(-1)).toMatchObject({ type: 'command-start', phase: 'rollback', release: 'videokit-api', effect: 'write' });
      expect(events.at(-1)?.command).toMatch(/^\S+ rollback videokit-api 41 /);
      expect(events.some((e) => e.type === 'outcome')).toBe(false);
      // helm was not killed with the tool: it completes the rollback, leaving no pending-rollback.
      let last: { revision: number; status: string } | undefined;
      await waitFor('helm to finish the rollback', () => {
        const history = sandbox.releaseHistory('videokit-api');
        last = history.at(-1);
        return last?.status === 'deployed';
      }, 30_000);
      expect(last).toMatchObject({ revision: 43, status: 'deployed' });
      expect(sandbox.releaseHistory('videokit-worker').at(-1)).toMatchObject({ revision: 18 });
    });
  }, 90_000);
});

