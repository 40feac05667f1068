import { describe, expect, it } from 'vitest';
import { executeRollback } from '../../src/execute/executeRollback.js';
import { noTranscript } from '../../src/views/transcript.js';
import type { HistoryEntry, RollbackPlan } from '../../src/plan/types.js';
import { startBudget } from '../../src/process/budget.js';
import { createCommandGate } from '../../src/process/gate.js';
import { historyJson, type Rev } from '../support/history.js';
import { recordingRunner, type Expectation } from '../support/recordingRunner.js';

const target = { context: 'prod-eu-west-1-admin', namespace: 'videokit' };
const bins = { helm: 'helm', kubectl: 'kubectl' };
const scopeHelm = ['--namespace', 'videokit', '--kube-context', 'prod-eu-west-1-admin'];
const scopeKubectl = ['--namespace', 'videokit', '--context', 'prod-eu-west-1-admin'];

const rev = (revision: number, status: string): HistoryEntry => ({
  revision, status, updated: undefined, chart: `api-0.${revision}.0`, appVersion: `1.${revision}.0`, description: 'Upgrade complete',
});

const plan: RollbackPlan = {
  schemaVersion: 1,
  context: target.context,
  namespace: target.namespace,
  releases: [
    { release: 'api', action: 'rollback', current: rev(42, 'deployed'), target: rev(41, 'superseded'), pinned: false, passedOver: [], deployments: [{ name: 'api', images: [] }], warnings: [] },
    { release: 'worker', action: 'rollback', current: rev(18, 'deployed'), target: rev(17, 'superseded'), pinned: false, passedOver: [], deployments: [{ name: 'worker', images: [] }], warnings: [] },
  ],
};

const newest = (release: string, rev: Rev): Expectation => ({
  args: ['history', release, ...scopeHelm, '--output', 'json', '--max', '1'],
  result: { stdout: historyJson(release, [rev]) },
});
const rollback = (release: string, revision: number, result?: Expectation['result']): Expectation => ({
  args: ['rollback', release, String(revision), ...scopeHelm, '--wait', '--timeout', '<duration>'],
  ...(result === undefined ? {} : { result }),
});
const verify = (release: string): Expectation[] => [
  { args: ['rollout', 'status', `deployment/${release}`, ...scopeKubectl, '--timeout', '<duration>'] },
  { args: ['get', 'pods', ...scopeKubectl, '--selector', `app.kubernetes.io/instance=${release}`, '--output', 'wide', '--request-timeout', '<duration>'] },
];

function run(runner: ReturnType<typeof recordingRunner>) {
  const clock = { monotonicMs: () => 0, now: () => new Date(0) };
  const budget = startBudget(600_000, clock);
  const gate = createCommandGate({ mode: 'execute', runner, transcript: noTranscript, clock, budget, observer: { started: () => undefined, finished: () => undefined } });
  return executeRollback(plan, { gate, bins, target, budget, interruption: () => undefined, parallel: 1 });
}

describe('compare before write', () => {
  it('re-reads the newest revision (one read, effect read) right before each helm rollback', async () => {
    const runner = recordingRunner([
      newest('api', { revision: 42, status: 'deployed' }), rollback('api', 41), ...verify('api'),
      newest('worker', { revision: 18, status: 'deployed' }), rollback('worker', 17), ...verify('worker'),
    ]);
    const report = await run(runner);
    expect(runner.remaining()).toEqual([]);
    expect(report.failure).toBeUndefined();
    expect(runner.calls.map((c) => [c.spec.effect, c.spec.args.slice(0, 2).join(' ')])).toEqual([
      ['read', 'history api'], ['write', 'rollback api'], ['read', 'rollout status'], ['read', 'get pods'],
      ['read', 'history worker'], ['write', 'rollback worker'], ['read', 'rollout status'], ['read', 'get pods'],
    ]);
  });

  it('another run already rolled the release back: no write, a lost race (exit 3), the next release not started, nothing to restore', async () => {
    const runner = recordingRunner([newest('api', { revision: 43, status: 'deployed', description: 'Rollback to 41' })]);
    const report = await run(runner);
    expect(runner.remaining()).toEqual([]);
    expect(runner.calls.some((c) => c.spec.effect === 'write')).toBe(false);
    expect(report.releases).toEqual([
      { release: 'api', result: 'lost-race', from: 42, to: 41, reason: 'another run rolled api back (its newest revision is now 43 (deployed, Rollback to 41)); this run changed nothing' },
      { release: 'worker', result: 'not-started', from: 18, to: 17 },
    ]);
    expect(report.touched).toEqual([]);
    expect(report.failure).toMatchObject({ kind: 'plan', message: expect.stringMatching(/^api: another run rolled api back/), hint: undefined });
  });

  it('another run is rolling it back right now (pending-rollback to the same target): a lost race too', async () => {
    const runner = recordingRunner([newest('api', { revision: 43, status: 'pending-rollback', description: 'Rollback to 41' })]);
    const report = await run(runner);
    expect(report.releases[0]).toMatchObject({ result: 'lost-race' });
  });

  it('any other change since planning refuses the write (exit 3) and says what changed', async () => {
    const runner = recordingRunner([newest('api', { revision: 43, status: 'deployed', description: 'Upgrade complete' })]);
    const report = await run(runner);
    expect(runner.calls.some((c) => c.spec.effect === 'write')).toBe(false);
    expect(report.releases[0]).toEqual({ release: 'api', result: 'not-started', from: 42, to: 41 });
    expect(report.failure).toMatchObject({
      kind: 'plan',
      message: 'api: api changed since planning: its newest revision is now 43 (deployed, Upgrade complete), not 42 (deployed, Upgrade complete) as planned; nothing was written to it',
    });
  });

  it('a failed re-read refuses the write rather than writing blind', async () => {
    const runner = recordingRunner([{ args: newest('api', { revision: 42, status: 'deployed' }).args, result: { exitCode: 1, stderr: 'Error: Kubernetes cluster unreachable\n' } }]);
    const report = await run(runner);
    expect(runner.calls.some((c) => c.spec.effect === 'write')).toBe(false);
    expect(report.failure).toMatchObject({ kind: 'plan', message: expect.stringContaining('could not re-read api just before writing (helm history exited 1: Error: Kubernetes cluster unreachable)') });
  });

  it('helm rollback losing the race for the revision record (release: already exists) is a lost race: exit 3, no restore command', async () => {
    const runner = recordingRunner([
      newest('api', { revision: 42, status: 'deployed' }),
      rollback('api', 41, { exitCode: 1, stderr: 'Error: release: already exists\n' }),
    ]);
    const report = await run(runner);
    expect(runner.remaining()).toEqual([]);
    expect(report.releases[0]).toEqual({
      release: 'api', result: 'lost-race', from: 42, to: 41, reason: 'another run rolled api back (helm found revision 43 already written); this run changed nothing',
    });
    expect(report.touched).toEqual([]);
    expect(report.failure?.kind).toBe('plan');
    expect(report.failure?.hint).toBeUndefined();
  });
});
