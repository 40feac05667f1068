import { describe, expect, it } from 'vitest';
import { executeRollback } from '../../src/execute/executeRollback.js';
import { describeHeldLock } from '../../src/execute/releaseLock.js';
import type { HistoryEntry, RollbackPlan } from '../../src/plan/types.js';
import { startBudget } from '../../src/process/budget.js';
import { createCommandGate } from '../../src/process/gate.js';
import type { CommandResult } from '../../src/process/runner.js';
import { noTranscript } from '../../src/views/transcript.js';
import { newestRead } from '../support/history.js';
import { recordingRunner, type Expectation } from '../support/recordingRunner.js';

const target = { context: 'prod-eu-west-1-admin', namespace: 'videokit' };
const bins = { helm: 'helm', kubectl: 'kubectl' };
const scopeHelm = ['--namespace', 'videokit', '--kube-context', 'prod-eu-west-1-admin'];
const scopeKubectl = ['--namespace', 'videokit', '--context', 'prod-eu-west-1-admin'];
const identity = { holder: 'alice@bastion', pid: 4242, run: 'run-1', since: '2026-11-30T21:00:00.000Z', deadline: '2026-11-30T21:10:00.000Z' };
const rev = (revision: number, status: string): HistoryEntry => ({ revision, status, updated: undefined, chart: `c-${revision}`, appVersion: `${revision}`, description: '' });
const plan: RollbackPlan = {
  schemaVersion: 1,
  context: target.context,
  namespace: target.namespace,
  releases: [{ release: 'api', action: 'rollback', current: rev(42, 'deployed'), target: rev(41, 'superseded'), pinned: false, passedOver: [], deployments: [{ kind: 'Deployment', name: 'api', images: [] }], warnings: [] }],
};

const LOCK = [
  'create', 'configmap', 'videokit-rollback-lock.api', ...scopeKubectl,
  '--from-literal', 'release=api', '--from-literal', 'holder=alice@bastion', '--from-literal', 'pid=4242', '--from-literal', 'run=run-1',
  '--from-literal', 'since=2026-11-30T21:00:00.000Z', '--from-literal', 'deadline=2026-11-30T21:10:00.000Z', '--request-timeout', '30s',
];
const UNLOCK = ['delete', 'configmap', 'videokit-rollback-lock.api', ...scopeKubectl, '--ignore-not-found', '--request-timeout', '30s'];
const GET_LOCK = ['get', 'configmap', 'videokit-rollback-lock.api', ...scopeKubectl, '--output', 'json', '--request-timeout', '30s'];
const ROLLBACK = ['rollback', 'api', '41', ...scopeHelm, '--wait', '--timeout', '<duration>'];
const STATUS = ['rollout', 'status', 'deployment/api', ...scopeKubectl, '--timeout', '<duration>'];
const PODS = ['get', 'pods', ...scopeKubectl, '--selector', 'app.kubernetes.io/instance=api', '--output', 'wide', '--request-timeout', '<duration>'];
const HELD = { exitCode: 1, stderr: 'error: failed to create configmap: configmaps "videokit-rollback-lock.api" already exists\n' };
const lockJson = (data: Record<string, string>) => JSON.stringify({ kind: 'ConfigMap', metadata: { name: 'videokit-rollback-lock.api', creationTimestamp: '2026-11-30T21:00:01Z' }, data });

function run(expectations: Expectation[], now = new Date('2026-11-30T21:04:30.000Z')) {
  const runner = recordingRunner(expectations);
  const clock = { monotonicMs: () => 0, now: () => now };
  const budget = startBudget(600_000, clock);
  const gate = createCommandGate({ mode: 'execute', runner, transcript: noTranscript, clock, budget, observer: { started: () => undefined, finished: () => undefined } });
  return { runner, report: executeRollback(plan, { gate, bins, target, budget, interruption: () => undefined, lock: identity, currentTime: () => now }) };
}

describe('the release lock around a rollback', () => {
  it('is taken before the read before the write and released after the waits', async () => {
    const { runner, report } = run([{ args: LOCK }, newestRead('api', rev(42, 'deployed'), scopeHelm), { args: ROLLBACK }, { args: STATUS }, { args: PODS }, { args: UNLOCK }]);
    expect((await report).failure).toBeUndefined();
    expect(runner.calls.map((c) => c.spec.args.slice(0, 2).join(' '))).toEqual(['create configmap', 'history api', 'rollback api', 'rollout status', 'get pods', 'delete configmap']);
    expect(runner.calls.filter((c) => c.spec.effect === 'write').map((c) => c.spec.args[0])).toEqual(['create', 'rollback', 'delete']);
  });

  it('held by another run: exit 3 naming the holder, its age and the command that removes it; nothing else runs, nothing is released', async () => {
    const { runner, report } = run([{ args: LOCK, result: HELD }, { args: GET_LOCK, result: { stdout: lockJson({ holder: 'bob@ci-7', pid: '99', run: 'r-9', since: '2026-11-30T21:02:00.000Z', deadline: '2026-11-30T21:12:00.000Z' }) } }]);
    const done = await report;
    expect(runner.remaining()).toEqual([]);
    expect(done.failure?.kind).toBe('plan');
    expect(done.failure?.message).toBe(
      'api: another run holds the lock on api: bob@ci-7, pid 99, run r-9, since 2026-11-30T21:02:00.000Z (2m30s ago), ' +
        "within its holder's --timeout (until 2026-11-30T21:12:00.000Z): probably still running, so wait for it; " +
        'nothing was written to it; if that run is gone, remove the stale lock with: kubectl delete configmap videokit-rollback-lock.api --namespace videokit --context prod-eu-west-1-admin',
    );
    expect(done.releases).toEqual([{ release: 'api', result: 'not-started', from: 42, to: 41 }]);
    expect(done.touched).toEqual([]);
  });

  it('is released after a failed rollout too; a lock that cannot be released is reported with the command that removes it', async () => {
    const { report } = run([
      { args: LOCK },
      newestRead('api', rev(42, 'deployed'), scopeHelm),
      { args: ROLLBACK },
      { args: STATUS, result: { exitCode: 1, stderr: 'error: timed out waiting for the condition\n' } },
      { args: UNLOCK, result: { exitCode: 1, stderr: 'error: the server is currently unable to handle the request\n' } },
    ]);
    const done = await report;
    expect(done.failure?.kind).toBe('unhealthy');
    expect(done.locksLeft).toEqual([
      'the lock on api was not released (kubectl delete configmap exited 1: error: the server is currently unable to handle the request): ' +
        'remove it with kubectl delete configmap videokit-rollback-lock.api --namespace videokit --context prod-eu-west-1-admin --ignore-not-found --request-timeout 30s',
    ]);
  });

  it('a create that fails for another reason is not a holder: exit 3, no read of the lock, nothing written', async () => {
    const { runner, report } = run([{ args: LOCK, result: { exitCode: 1, stderr: 'Error from server (Forbidden): configmaps is forbidden: User "ci" cannot create resource "configmaps"\n' } }]);
    const done = await report;
    expect(runner.calls).toHaveLength(1);
    expect(done.failure?.message).toMatch(/^api: could not lock api against other runs \(kubectl create configmap exited 1: .*Forbidden.*\); nothing was written to it$/);
  });
});

describe('describeHeldLock', () => {
  const ok = (stdout: string): CommandResult => ({ exitCode: 0, signal: null, timedOut: false, stdout, stderr: '' }) as CommandResult;
  const remove = 'kubectl delete configmap videokit-rollback-lock.api --namespace videokit --context prod-eu-west-1-admin';

  it('says a lock past its holder\'s deadline was probably left by a killed run', () => {
    const text = describeHeldLock('api', ok(lockJson({ holder: 'bob@ci-7', pid: '99', run: 'r-9', since: '2026-11-30T20:00:00.000Z', deadline: '2026-11-30T20:10:00.000Z' })), new Date('2026-11-30T21:00:00.000Z'), remove);
    expect(text).toContain('since 2026-11-30T20:00:00.000Z (1h0m0s ago), past its holder\'s --timeout (2026-11-30T20:10:00.000Z): probably left by a run that was killed');
    expect(text.endsWith(`remove the stale lock with: ${remove}`)).toBe(true);
  });

  it('still gives the removal command for a lock it cannot read or did not write', () => {
    expect(describeHeldLock('api', ok('not json'), new Date(), remove)).toBe(`another run holds the lock on api (it is not one this tool wrote); nothing was written to it; if that run is gone, remove the stale lock with: ${remove}`);
    const failed = { ...ok(''), exitCode: 1, stderr: 'Error from server (NotFound): configmaps "x" not found\n' } as CommandResult;
    expect(describeHeldLock('api', failed, new Date(), remove)).toMatch(/^another run holds the lock on api \(it could not be read: kubectl get configmap exited 1: .*NotFound.*\); nothing was written/);
  });
});
