import { describe, expect, it } from 'vitest';
import { executeForward, type ReleaseDone } from '../../src/execute/executeRollback.js';
import type { HistoryEntry, ReleaseRollback } from '../../src/plan/types.js';
import { startBudget, type Clock } from '../../src/process/budget.js';
import { createCommandGate } from '../../src/process/gate.js';
import { noTranscript } from '../../src/views/transcript.js';
import { recordingRunner, type Expectation } from '../support/recordingRunner.js';

const target = { context: 'prod-eu-west-1-admin', namespace: 'videokit' };
const bins = { helm: 'helm', kubectl: 'kubectl' };
const scopeHelm = ['--namespace', 'videokit', '--kube-context', 'prod-eu-west-1-admin'];
const scopeKubectl = ['--namespace', 'videokit', '--context', 'prod-eu-west-1-admin'];
const rev = (revision: number, status: string): HistoryEntry => ({ revision, status, updated: undefined, chart: `c-${revision}`, appVersion: `${revision}`, description: '' });
const touched = (release: string, current: number, to: number): ReleaseRollback => ({
  release, action: 'rollback', current: rev(current, 'deployed'), target: rev(to, 'superseded'), pinned: false, passedOver: [], deployments: [{ name: release, images: [] }], warnings: [],
});

const forwardOf = (release: string, revision: number, result?: Expectation['result']): Expectation[] => [
  { args: ['rollback', release, String(revision), ...scopeHelm, '--wait', '--timeout', '<duration>'], result },
  { args: ['rollout', 'status', `deployment/${release}`, ...scopeKubectl, '--timeout', '<duration>'] },
  { args: ['get', 'pods', ...scopeKubectl, '--selector', `app.kubernetes.io/instance=${release}`, '--output', 'wide', '--request-timeout', '<duration>'] },
];

function run(expectations: Expectation[], interrupted = false) {
  let now = 0;
  const clock: Clock = { monotonicMs: () => now, now: () => new Date(0) };
  const runner = recordingRunner(expectations);
  const budget = startBudget(600_000, clock);
  const gate = createCommandGate({ mode: 'execute', runner, transcript: noTranscript, clock, budget, observer: { started: () => (now += 1_000), finished: () => undefined } });
  const done: ReleaseDone[] = [];
  const report = executeForward([touched('api', 42, 41), touched('worker', 18, 17)], {
    gate, bins, target, budget,
    interruption: () => (interrupted ? { kind: 'interrupted-sigint', signal: 'SIGINT' } : undefined),
    onReleaseDone: (d) => done.push(d),
  });
  return { runner, report, done };
}

describe('executeForward (a drill\'s roll forward)', () => {
  it('puts every touched release back on its revision before the drill, by explicit number, with the same waits', async () => {
    const { runner, report, done } = run([...forwardOf('api', 42), ...forwardOf('worker', 18)]);
    const result = await report;
    expect(runner.remaining()).toEqual([]);
    expect(runner.calls.map((c) => c.spec.args.slice(0, 3).join(' '))).toEqual([
      'rollback api 42', 'rollout status deployment/api', 'get pods --namespace',
      'rollback worker 18', 'rollout status deployment/worker', 'get pods --namespace',
    ]);
    expect(result.failure).toBeUndefined();
    expect(result.notRestored).toEqual([]);
    expect(result.releases.map((r) => `${r.release} ${r.result} ${r.from}->${r.to}`)).toEqual(['api rolled-forward 41->42', 'worker rolled-forward 17->18']);
    // Time to healthy: from the write to the last verification (the fake clock ticks a second per command).
    expect(done.map((d) => [d.stage, d.release, d.healthy, d.durationMs])).toEqual([['forward', 'api', true, 2_000], ['forward', 'worker', true, 2_000]]);
  });

  it('a failed release does not keep the next one from being restored; the first failure decides the exit', async () => {
    const { runner, report } = run([...forwardOf('api', 42, { exitCode: 1, stderr: 'Error: another operation is in progress\n' }), ...forwardOf('worker', 18)]);
    const result = await report;
    expect(runner.calls.map((c) => c.spec.args.slice(0, 3).join(' '))).toEqual([
      'rollback api 42', 'rollback worker 18', 'rollout status deployment/worker', 'get pods --namespace',
    ]);
    expect(result.failure?.kind).toBe('rollback');
    expect(result.failure?.message).toBe('api: roll forward: helm rollback exited 1: Error: another operation is in progress');
    expect(result.notRestored.map((r) => r.release)).toEqual(['api']);
    expect(result.releases.map((r) => r.result)).toEqual(['forward-failed', 'rolled-forward']);
  });

  it('after an interrupt no roll forward starts', async () => {
    const { runner, report } = run([], true);
    const result = await report;
    expect(runner.calls).toEqual([]);
    expect(result.failure?.kind).toBe('interrupted-sigint');
    expect(result.releases.map((r) => `${r.release} ${r.result}`)).toEqual(['api not-started', 'worker not-started']);
    expect(result.notRestored.map((r) => r.release)).toEqual(['api', 'worker']);
  });
});
