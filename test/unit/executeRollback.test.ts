import { describe, expect, it } from 'vitest';
import { executeRollback } from '../../src/execute/executeRollback.js';
import type { HistoryEntry, RollbackPlan } from '../../src/plan/types.js';
import type { Clock } from '../../src/process/budget.js';
import { startBudget } from '../../src/process/budget.js';
import { createCommandGate } from '../../src/process/gate.js';
import { noTranscript } from '../../src/views/transcript.js';
import { newestRead } from '../support/history.js';
import { recordingRunner, type Expectation } from '../support/recordingRunner.js';

const target = { context: 'prod-eu-west-1-admin', namespace: 'videokit' };
const bins = { helm: 'helm', kubectl: 'kubectl' };
const scopeHelm = ['--namespace', 'videokit', '--kube-context', 'prod-eu-west-1-admin'];
const scopeKubectl = ['--namespace', 'videokit', '--context', 'prod-eu-west-1-admin'];

const rev = (revision: number, status: string): HistoryEntry => ({
  revision, status, updated: undefined, chart: `c-${revision}`, appVersion: `${revision}`, description: '',
});

const plan: RollbackPlan = {
  schemaVersion: 1,
  context: target.context,
  namespace: target.namespace,
  releases: [
    { release: 'api', action: 'rollback', current: rev(42, 'deployed'), target: rev(41, 'superseded'), pinned: false, passedOver: [], deployments: [{ name: 'api', images: [] }, { name: 'api-web', images: [] }], warnings: [] },
    { release: 'lonely', action: 'skip', reason: 'only revision 1 exists', current: rev(1, 'deployed') },
    { release: 'worker', action: 'rollback', current: rev(18, 'deployed'), target: rev(17, 'superseded'), pinned: false, passedOver: [], deployments: [{ name: 'worker', images: [] }], warnings: [] },
  ],
};

const expectations = (overrides: Record<string, Expectation['result']> = {}): Expectation[] => [
  newestRead('api', rev(42, 'deployed'), scopeHelm),
  newestRead('worker', rev(18, 'deployed'), scopeHelm),
  { args: ['rollback', 'api', '41', ...scopeHelm, '--wait', '--timeout', '<duration>'], result: overrides['rollback api'] },
  { args: ['rollout', 'status', 'deployment/api', ...scopeKubectl, '--timeout', '<duration>'], result: overrides['status api'] },
  { args: ['rollout', 'status', 'deployment/api-web', ...scopeKubectl, '--timeout', '<duration>'], result: overrides['status api-web'] },
  { args: ['get', 'pods', ...scopeKubectl, '--selector', 'app.kubernetes.io/instance=api', '--output', 'wide', '--request-timeout', '<duration>'], result: { stdout: 'api-1 1/1 Running\n' } },
  { args: ['rollback', 'worker', '17', ...scopeHelm, '--wait', '--timeout', '<duration>'], result: overrides['rollback worker'] },
  { args: ['rollout', 'status', 'deployment/worker', ...scopeKubectl, '--timeout', '<duration>'] },
  { args: ['get', 'pods', ...scopeKubectl, '--selector', 'app.kubernetes.io/instance=worker', '--output', 'wide', '--request-timeout', '<duration>'] },
];

function run(runner: ReturnType<typeof recordingRunner>, options: { clock?: Clock; budgetMs?: number } = {}) {
  let now = 0;
  const clock = options.clock ?? { monotonicMs: () => now, now: () => new Date(0) };
  const budget = startBudget(options.budgetMs ?? 600_000, clock);
  const gate = createCommandGate({ mode: 'execute', runner, transcript: noTranscript, clock, budget, observer: { started: () => (now += 1_000), finished: () => undefined } });
  return executeRollback(plan, { gate, bins, target, budget, interruption: () => undefined, parallel: 1 });
}

describe('executeRollback', () => {
  it('rolls back, waits on every Deployment and lists pods, release by release, skipping skipped ones', async () => {
    const runner = recordingRunner(expectations());
    const report = await run(runner);
    expect(runner.remaining()).toEqual([]);
    expect(runner.calls.map((c) => c.spec.args.slice(0, 3).join(' '))).toEqual([
      'history api --namespace', 'rollback api 41', 'rollout status deployment/api', 'rollout status deployment/api-web', 'get pods --namespace',
      'history worker --namespace', 'rollback worker 17', 'rollout status deployment/worker', 'get pods --namespace',
    ]);
    expect(report.failure).toBeUndefined();
    expect(report.releases).toEqual([
      { release: 'api', result: 'rolled-back', from: 42, to: 41, pods: 'api-1 1/1 Running\n' },
      { release: 'lonely', result: 'skipped', reason: 'only revision 1 exists' },
      { release: 'worker', result: 'rolled-back', from: 18, to: 17, pods: '' },
    ]);
  });

  it('gives each command the time still left', async () => {
    const runner = recordingRunner(expectations());
    await run(runner);
    // The fake clock advances one second per command started; the reads before the writes take their second too.
    expect(runner.calls.map((c) => `${c.spec.args[0]} ${c.spec.args.at(-1)}`)).toEqual([
      'history 1', 'rollback 9m59s', 'rollout 9m58s', 'rollout 9m57s', 'get 9m56s', 'history 1', 'rollback 9m54s', 'rollout 9m53s', 'get 9m52s',
    ]);
  });

  it('stops at a failed rollback: later releases untouched, the failed one marked touched', async () => {
    const runner = recordingRunner(expectations({ 'rollback api': { exitCode: 1, stderr: 'Error: UPGRADE FAILED\n' } }));
    const report = await run(runner);
    expect(runner.calls.map((c) => c.spec.args[0])).toEqual(['history', 'rollback']);
    expect(report.failure?.kind).toBe('rollback');
    expect(report.failure?.message).toBe('api: helm rollback exited 1: Error: UPGRADE FAILED');
    expect(report.touched.map((r) => r.release)).toEqual(['api']);
    expect(report.releases.map((r) => r.result)).toEqual(['rollback-failed', 'skipped', 'not-started']);
  });

  it('reports an unhealthy rollout as such and touches nothing after it', async () => {
    const runner = recordingRunner(expectations({ 'status api-web': { exitCode: 1, stderr: 'error: timed out waiting for the condition\n' } }));
    const report = await run(runner);
    expect(report.failure?.kind).toBe('unhealthy');
    expect(runner.calls.map((c) => c.spec.args[0])).toEqual(['history', 'rollback', 'rollout', 'rollout']);
    expect(report.releases.map((r) => r.result)).toEqual(['unhealthy', 'skipped', 'not-started']);
  });

  it('never starts a command with less than a second left (kubectl reads --timeout 0s as forever)', async () => {
    const runner = recordingRunner(expectations());
    const report = await run(runner, { budgetMs: 3_500 });
    expect(runner.calls.map((c) => `${c.spec.args[0]} ${c.spec.args.at(-1)}`)).toEqual(['history 1', 'rollback 2s', 'rollout 1s']);
    expect(report.failure?.kind).toBe('unhealthy');
    expect(report.failure?.message).toMatch(/budget ran out/);
  });

  it('waits for a Deployment, a StatefulSet and a DaemonSet together, and for an OnDelete StatefulSet\'s Pods instead of its rollout', async () => {
    const workloads = [
      { kind: 'Deployment' as const, name: 'worker', images: [] },
      { kind: 'StatefulSet' as const, name: 'worker-db', images: [] },
      { kind: 'DaemonSet' as const, name: 'worker-agent', images: [] },
      { kind: 'StatefulSet' as const, name: 'worker-cache', images: [], onDelete: true, podSelector: 'app.kubernetes.io/component=cache,app.kubernetes.io/instance=worker' },
    ];
    const mixed: RollbackPlan = {
      ...plan,
      releases: [{ release: 'worker', action: 'rollback', current: rev(18, 'deployed'), target: rev(17, 'superseded'), pinned: false, passedOver: [], deployments: workloads, warnings: [] }],
    };
    const waits = [
      ['rollout', 'status', 'deployment/worker', ...scopeKubectl, '--timeout', '<duration>'],
      ['rollout', 'status', 'statefulset/worker-db', ...scopeKubectl, '--timeout', '<duration>'],
      ['rollout', 'status', 'daemonset/worker-agent', ...scopeKubectl, '--timeout', '<duration>'],
      ['wait', 'pods', ...scopeKubectl, '--selector', 'app.kubernetes.io/component=cache,app.kubernetes.io/instance=worker', '--for', 'condition=Ready', '--timeout', '<duration>'],
    ];
    // Each wait answers only once all four have started: run one after another, the test fails.
    const runner = recordingRunner([
      newestRead('worker', rev(18, 'deployed'), scopeHelm),
      { args: ['rollback', 'worker', '17', ...scopeHelm, '--wait', '--timeout', '<duration>'] },
      ...waits.map((args) => ({ args, answerAfter: waits.filter((other) => other !== args) })),
      { args: ['get', 'pods', ...scopeKubectl, '--selector', 'app.kubernetes.io/instance=worker', '--output', 'wide', '--request-timeout', '<duration>'] },
    ]);
    let now = 0;
    const clock = { monotonicMs: () => now, now: () => new Date(0) };
    const budget = startBudget(600_000, clock);
    const gate = createCommandGate({ mode: 'execute', runner, transcript: noTranscript, clock, budget, observer: { started: () => (now += 1_000), finished: () => undefined } });
    const report = await executeRollback(mixed, { gate, bins, target, budget, interruption: () => undefined });
    expect(runner.remaining()).toEqual([]);
    expect(runner.maxInFlight()).toBe(4);
    expect(report.failure).toBeUndefined();
    expect(report.releases).toEqual([{ release: 'worker', result: 'rolled-back', from: 18, to: 17, pods: '' }]);
  });
});
