import { describe, expect, it } from 'vitest';
import { executeRollback } from '../../src/execute/executeRollback.js';
import { noTranscript } from '../../src/views/transcript.js';
import type { HistoryEntry, ReleasePlan, RollbackPlan } from '../../src/plan/types.js';
import { startBudget, type Clock } from '../../src/process/budget.js';
import { createCommandGate } from '../../src/process/gate.js';
import { newestRead } from '../support/history.js';
import { recordingRunner, type Expectation } from '../support/recordingRunner.js';

const CTX = 'prod-eu-west-1-admin';
const NS = 'videokit';
const bins = { helm: 'helm', kubectl: 'kubectl' };
const target = { context: CTX, namespace: NS };

/** Time stands still: every command gets the whole budget, so argv are exact. */
const frozenClock: Clock = { monotonicMs: () => 0, now: () => new Date('2026-11-26T09:00:00Z') };

const entry = (revision: number, status: string): HistoryEntry => ({
  revision,
  status,
  chart: `app-0.${revision}.0`,
  appVersion: `1.${revision}.0`,
  updated: '2026-11-26T08:00:00Z',
  description: 'Upgrade complete',
});

function release(name: string, deployments: string[]): ReleasePlan {
  return {
    release: name,
    action: 'rollback',
    current: entry(10, 'deployed'),
    target: entry(9, 'superseded'),
    pinned: false,
    passedOver: [],
    deployments: deployments.map((d) => ({ name: d, images: [] })),
    warnings: [],
  };
}

const plan = (...releases: ReleasePlan[]): RollbackPlan => ({ schemaVersion: 1, context: CTX, namespace: NS, releases });

const rollbackArgs = (name: string) => ['rollback', name, '9', '--namespace', NS, '--kube-context', CTX, '--wait', '--timeout', '10m0s'];
const waitArgs = (deployment: string) => ['rollout', 'status', `deployment/${deployment}`, '--namespace', NS, '--context', CTX, '--timeout', '10m0s'];
const podsArgs = (name: string) => [
  'get', 'pods', '--namespace', NS, '--context', CTX, '--selector', `app.kubernetes.io/instance=${name}`, '--output', 'wide', '--request-timeout', '10m0s',
];
const allOf = (name: string, deployments: string[]): Expectation[] => [
  { args: rollbackArgs(name) },
  ...deployments.map((d) => ({ args: waitArgs(d) })),
  { args: podsArgs(name), result: { stdout: `${name}-pod 1/1 Running\n` } },
];

function run(rollbackPlan: RollbackPlan, expectations: Expectation[], parallel = 1, budgetMs = 600_000) {
  // Each release's read just before its write (compareBeforeWrite.test.ts is about those).
  const reads = rollbackPlan.releases.map((r) => newestRead(r.release, entry(10, 'deployed'), ['--namespace', NS, '--kube-context', CTX]));
  const runner = recordingRunner([...expectations, ...reads]);
  const budget = startBudget(budgetMs, frozenClock);
  const gate = createCommandGate({
    mode: 'execute',
    runner,
    transcript: noTranscript,
    clock: frozenClock,
    budget,
    observer: { started: () => undefined, finished: () => undefined },
  });
  const report = executeRollback(rollbackPlan, { gate, bins, target, budget, interruption: () => undefined, parallel });
  return { runner, gate, report };
}

/** Which release a command belongs to (Deployments here are named after their release's letter). */
function releaseOf(args: readonly string[]): string | undefined {
  if (args[0] === 'rollback') return args[1];
  if (args[0] === 'rollout') return args[2]?.replace(/^deployment\/(.).*$/, '$1');
  return args.find((a) => a.startsWith('app.kubernetes.io/instance='))?.split('=')[1];
}

/** The commands run, without the reads just before each write. */
const withoutReads = (runner: ReturnType<typeof recordingRunner>) => runner.calls.filter((c) => c.spec.args[0] !== 'history');
const argsOf = (runner: ReturnType<typeof recordingRunner>) => withoutReads(runner).map((c) => c.spec.args.join(' '));

describe('executeRollback side by side', () => {
  it('waits for all Deployments of a release at once, after its rollback and before its Pod listing', async () => {
    const deployments = ['api', 'api-grpc', 'api-admin'];
    const { runner, report } = run(plan(release('videokit-api', deployments)), [
      { args: rollbackArgs('videokit-api') },
      // api's wait answers only once the other two have started.
      { args: waitArgs('api'), answerAfter: [waitArgs('api-grpc'), waitArgs('api-admin')] },
      { args: waitArgs('api-grpc') },
      { args: waitArgs('api-admin') },
      { args: podsArgs('videokit-api'), result: { stdout: 'videokit-api-pod 1/1 Running\n' } },
    ]);
    const { releases, failure } = await report;
    expect(failure).toBeUndefined();
    expect(releases).toEqual([{ release: 'videokit-api', result: 'rolled-back', from: 10, to: 9, pods: 'videokit-api-pod 1/1 Running\n' }]);
    expect(runner.remaining()).toEqual([]);
    expect(runner.maxInFlight('read')).toBe(3);
    const order = argsOf(runner);
    expect(order[0]).toBe(rollbackArgs('videokit-api').join(' '));
    expect(order.at(-1)).toBe(podsArgs('videokit-api').join(' '));
  });

  it('with parallel 1 runs one release at a time, in plan order', async () => {
    const { runner, report } = run(plan(release('a', ['a1', 'a2']), release('b', ['b1']), release('c', ['c1'])), [
      ...allOf('a', ['a1', 'a2']),
      ...allOf('b', ['b1']),
      ...allOf('c', ['c1']),
    ]);
    expect((await report).releases.map((r) => r.result)).toEqual(['rolled-back', 'rolled-back', 'rolled-back']);
    const byRelease = withoutReads(runner).map((c) => releaseOf(c.spec.args));
    expect(byRelease).toEqual(['a', 'a', 'a', 'a', 'b', 'b', 'b', 'c', 'c', 'c']);
    expect(runner.maxInFlight('write')).toBe(1);
  });

  it('with parallel n runs at most n releases at once', async () => {
    const names = ['a', 'b', 'c', 'd', 'e'];
    const { runner, report } = run(plan(...names.map((n) => release(n, [`${n}1`]))), [
      // a's rollback answers only once b's has started; e's is fifth and waits for a slot.
      { args: rollbackArgs('a'), answerAfter: [rollbackArgs('b')] },
      ...names.slice(1).map((n) => ({ args: rollbackArgs(n) })),
      ...names.flatMap((n) => allOf(n, [`${n}1`]).slice(1)),
    ], 2);
    expect((await report).releases.every((r) => r.result === 'rolled-back')).toBe(true);
    expect(runner.remaining()).toEqual([]);
    expect(runner.maxInFlight('write')).toBe(2);
  });

  it('stops new work after the first failure; releases not started are reported so', async () => {
    const { runner, report } = run(plan(release('a', ['a1']), release('b', ['b1']), release('c', ['c1'])), [
      { args: rollbackArgs('a') },
      { args: waitArgs('a1'), result: { exitCode: 1, stderr: 'error: deployment "a1" exceeded its progress deadline\n' } },
      ...allOf('b', ['b1']),
      ...allOf('c', ['c1']),
    ]);
    const { releases, touched, failure } = await report;
    expect(releases.map((r) => [r.release, r.result])).toEqual([['a', 'unhealthy'], ['b', 'not-started'], ['c', 'not-started']]);
    expect(touched.map((r) => r.release)).toEqual(['a']);
    expect(failure?.kind).toBe('unhealthy');
    expect(failure?.message).toBe('a: rollout status deployment/a1 exited 1: error: deployment "a1" exceeded its progress deadline');
    expect(argsOf(runner)).toEqual([rollbackArgs('a'), waitArgs('a1')].map((a) => a.join(' ')));
  });

  it('reports a failed rollback before an unhealthy rollout when both happen side by side', async () => {
    const { report } = run(plan(release('a', ['a1']), release('b', ['b1']), release('c', ['c1'])), [
      { args: rollbackArgs('a') },
      { args: waitArgs('a1'), result: { exitCode: 1, stderr: 'error: timed out waiting for the condition\n' } },
      { args: rollbackArgs('b'), answerAfter: [waitArgs('a1')], result: { exitCode: 1, stderr: 'Error: another operation is in progress\n' } },
    ], 2);
    const { releases, touched, failure } = await report;
    expect(releases.map((r) => [r.release, r.result])).toEqual([['a', 'unhealthy'], ['b', 'rollback-failed'], ['c', 'not-started']]);
    expect(touched.map((r) => r.release)).toEqual(['a', 'b']);
    expect(failure?.kind).toBe('rollback');
    expect(failure?.message).toMatch(/^b: helm rollback exited 1: Error: another operation is in progress/);
  });

  it('starts nothing once the budget is spent, and says so', async () => {
    const { runner, report } = run(plan(release('a', ['a1'])), [], 1, 500);
    const { releases, touched, failure } = await report;
    expect(releases).toEqual([{ release: 'a', result: 'not-started', from: 10, to: 9 }]);
    expect(touched).toEqual([]);
    expect(failure?.message).toBe('a: the --timeout budget ran out');
    expect(withoutReads(runner)).toEqual([]);
  });
});
