import { describe, expect, it } from 'vitest';
import { runExecution } from '../../src/execute/runExecution.js';
import type { TranscriptEvent } from '../../src/domain/events.js';
import type { HistoryEntry, RollbackPlan } from '../../src/plan/types.js';
import type { ReadinessResult } from '../../src/execute/readiness.js';
import { startBudget, type Clock } from '../../src/process/budget.js';
import { createCommandGate } from '../../src/process/gate.js';
import { newestRead } from '../support/history.js';
import { recordingRunner, type Expectation } from '../support/recordingRunner.js';

const target = { context: 'prod-eu-west-1-admin', namespace: 'videokit' };
const bins = { helm: 'helm', kubectl: 'kubectl' };
const scopeHelm = ['--namespace', 'videokit', '--kube-context', 'prod-eu-west-1-admin'];
const scopeKubectl = ['--namespace', 'videokit', '--context', 'prod-eu-west-1-admin'];
const rev = (revision: number, status: string): HistoryEntry => ({ revision, status, updated: undefined, chart: `c-${revision}`, appVersion: `${revision}`, description: '' });

const plan: RollbackPlan = {
  schemaVersion: 1,
  context: target.context,
  namespace: target.namespace,
  releases: [
    { release: 'api', action: 'rollback', current: rev(42, 'deployed'), target: rev(41, 'superseded'), pinned: false, passedOver: [], deployments: [{ name: 'api', images: [] }], warnings: [] },
    { release: 'worker', action: 'rollback', current: rev(18, 'deployed'), target: rev(17, 'superseded'), pinned: false, passedOver: [], deployments: [{ name: 'worker', images: [] }], warnings: [] },
    { release: 'web', action: 'rollback', current: rev(7, 'deployed'), target: rev(6, 'superseded'), pinned: false, passedOver: [], deployments: [{ name: 'web', images: [] }], warnings: [] },
  ],
};

const fail = (stderr: string): Partial<Expectation['result']> => ({ exitCode: 1, stderr });
const rollback = (release: string, revision: number, result?: Expectation['result']): Expectation => ({ args: ['rollback', release, String(revision), ...scopeHelm, '--wait', '--timeout', '<duration>'], result });
const status = (name: string, result?: Expectation['result']): Expectation => ({ args: ['rollout', 'status', `deployment/${name}`, ...scopeKubectl, '--timeout', '<duration>'], result });
const pods = (release: string): Expectation => ({ args: ['get', 'pods', ...scopeKubectl, '--selector', `app.kubernetes.io/instance=${release}`, '--output', 'wide', '--request-timeout', '<duration>'] });

function run(expectations: Expectation[], options: { atomic?: boolean; budgetMs?: number; checks?: ReadinessResult[]; interruptAfter?: number } = {}) {
  // Each release's read just before its write (compareBeforeWrite.test.ts is about those).
  const reads = plan.releases.flatMap((r) =>
    r.action === 'rollback' && expectations.some((e) => e.args.join(' ') === rollback(r.release, r.target.revision).args.join(' ')) ? [newestRead(r.release, r.current, scopeHelm)] : [],
  );
  const runner = recordingRunner([...expectations, ...reads]);
  let now = 0;
  // Each command "takes" a minute of the fake clock.
  const clock: Clock = { monotonicMs: () => now, now: () => new Date(0) };
  const budget = startBudget(options.budgetMs ?? 600_000, clock);
  const events: TranscriptEvent[] = [];
  const gate = createCommandGate({ mode: 'execute', runner, transcript: { record: (e) => events.push(e) }, clock, budget, observer: { started: () => (now += 60_000), finished: () => undefined } });
  const outcome = runExecution(plan, {
    gate, bins, target, budget,
    interruption: () => (options.interruptAfter !== undefined && runner.calls.length >= options.interruptAfter ? { kind: 'interrupted-sigint', signal: 'SIGINT' } : undefined),
    atomic: options.atomic ?? true,
    startRestoreBudget: () => startBudget(600_000, clock),
    manualTimeoutMs: 600_000,
    ...(options.checks === undefined ? {} : { checkReadiness: async () => options.checks ?? [] }),
    record: (e) => events.push(e),
    now: () => '2026-11-26T09:00:00.000Z',
  });
  return { runner, events, outcome };
}

/** The commands run, without the reads just before each write. */
const calls = (runner: ReturnType<typeof recordingRunner>) => runner.calls.filter((c) => c.spec.args[0] !== 'history').map((c) => c.spec.args.slice(0, 3).join(' '));

describe('--atomic', () => {
  it('restores the releases already changed, last first, with explicit revisions and the same waits', async () => {
    const { runner, outcome, events } = run([
      rollback('api', 41), status('api'), pods('api'),
      rollback('worker', 17), status('worker', fail('error: timed out waiting for the condition\n')),
      rollback('worker', 18), status('worker'), rollback('api', 42), status('api'),
    ]);
    const result = await outcome;
    expect(runner.remaining()).toEqual([]);
    expect(calls(runner)).toEqual([
      'rollback api 41', 'rollout status deployment/api', 'get pods --namespace',
      'rollback worker 17', 'rollout status deployment/worker',
      'rollback worker 18', 'rollout status deployment/worker', 'rollback api 42', 'rollout status deployment/api',
    ]);
    expect(runner.calls.filter((c) => c.spec.args[0] !== 'history').slice(5).map((c) => c.spec.args.includes('--atomic'))).toEqual([false, false, false, false]);
    expect(result.failure?.kind).toBe('unhealthy');
    expect(result.failure?.message).toMatch(/--atomic restored worker to 18, api to 42$/);
    expect(result.restore).toEqual({ ok: true, manualCommands: [], releases: [{ release: 'worker', result: 'restored', to: 18 }, { release: 'api', result: 'restored', to: 42 }] });
    const phases = events.flatMap((e) => (e.type === 'command-start' ? [e.phase] : e.type === 'restore-start' || e.type === 'restore-end' ? [e.type] : []));
    // Each release's read just before its write belongs to the rollback phase too.
    expect(phases).toEqual(['rollback', 'rollback', 'verify', 'verify', 'rollback', 'rollback', 'verify', 'restore-start', 'restore', 'restore', 'restore', 'restore', 'restore-end']);
  });

  it('restores the release whose helm rollback failed (it may be half applied), and keeps exit 4', async () => {
    const { runner, outcome } = run([rollback('api', 41, fail('Error: UPGRADE FAILED\n')), rollback('api', 42), status('api')]);
    const result = await outcome;
    expect(calls(runner)).toEqual(['rollback api 41', 'rollback api 42', 'rollout status deployment/api']);
    expect(result.failure?.kind).toBe('rollback');
  });

  it('exit 6 when the restore fails: goes on with the others and names the exact commands for a human', async () => {
    const { runner, outcome } = run([
      rollback('api', 41), status('api'), pods('api'),
      rollback('worker', 17), status('worker'), pods('worker'),
      rollback('web', 6, fail('Error: timed out\n')),
      rollback('web', 7), status('web'),
      rollback('worker', 18, fail('Error: another operation (install/upgrade/rollback) is in progress\n')),
      rollback('api', 42), status('api'),
    ]);
    const result = await outcome;
    expect(runner.remaining()).toEqual([]);
    expect(result.failure?.kind).toBe('restore-failed');
    expect(result.restore?.releases.map((r) => `${r.release}:${r.result}`)).toEqual(['web:restored', 'worker:restore-failed', 'api:restored']);
    expect(result.restore?.manualCommands).toEqual([
      `helm rollback worker 18 ${scopeHelm.join(' ')} --wait --timeout 10m0s`,
      `kubectl rollout status deployment/worker ${scopeKubectl.join(' ')} --timeout 10m0s`,
    ]);
    expect(result.failure?.details).toContain(`  helm rollback worker 18 ${scopeHelm.join(' ')} --wait --timeout 10m0s`);
  });

  it('gives the restore its own budget: a rollback that used up --timeout still gets restored', async () => {
    // 3 commands of a minute each use up a 3-minute budget; the restore then starts afresh.
    const { runner, outcome } = run([rollback('api', 41), status('api'), pods('api'), rollback('api', 42), status('api')], { budgetMs: 180_000 });
    const result = await outcome;
    expect(result.failure?.message).toMatch(/budget ran out.*--atomic restored api to 42/);
    expect(runner.calls.slice(3).map((c) => c.spec.args.at(-1))).toEqual(['10m0s', '9m0s']);
  });

  it('restores every changed release when a readiness check fails after the rollouts', async () => {
    const checks: ReadinessResult[] = [{ url: 'http://127.0.0.1:1/readyz', ok: false, attempts: 3, lastStatus: 503, lastError: 'HTTP 503', durationMs: 10 }];
    const { runner, outcome, events } = run(
      [rollback('api', 41), status('api'), pods('api'), rollback('worker', 17), status('worker'), pods('worker'), rollback('web', 6), status('web'), pods('web'),
        rollback('web', 7), status('web'), rollback('worker', 18), status('worker'), rollback('api', 42), status('api')],
      // A minute of the fake clock per command: 12 of them before the checks.
      { checks, budgetMs: 900_000 },
    );
    const result = await outcome;
    expect(runner.remaining()).toEqual([]);
    expect(result.failure?.kind).toBe('unhealthy');
    expect(result.failure?.message).toMatch(/^readiness check failed: http:\/\/127.0.0.1:1\/readyz \(HTTP 503\)/);
    expect(events.some((e) => e.type === 'readiness-check' && !e.ok)).toBe(true);
  });

  it('without --atomic, or after an interrupt, nothing is restored', async () => {
    const plain = run([rollback('api', 41, fail('Error: boom\n'))], { atomic: false });
    expect((await plain.outcome).restore).toBeUndefined();
    expect(calls(plain.runner)).toEqual(['rollback api 41']);
    // SIGINT arrives while api's rollout is waited on: api was changed, yet it is left as it is.
    const interrupted = run([rollback('api', 41), status('api', fail('signal: interrupt\n'))], { interruptAfter: 3 });
    const result = await interrupted.outcome;
    expect(calls(interrupted.runner)).toEqual(['rollback api 41', 'rollout status deployment/api']);
    expect(result.restore).toBeUndefined();
    expect(result.failure?.kind).toBe('interrupted-sigint');
  });
});
