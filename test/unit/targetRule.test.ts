import { describe, expect, it } from 'vitest';
import { lineageOf } from '../../src/domain/lineage.js';
import { planRollback } from '../../src/plan/planRollback.js';
import { parseHelmHistory } from '../../src/plan/parseToolOutput.js';
import type { ClusterSnapshot, ReleasePlan, RollbackRequest } from '../../src/plan/types.js';
import { historyJson, type Rev } from '../support/history.js';

const API = 'videokit-api';

function snapshot(revs: Rev[]): ClusterSnapshot {
  const parsed = parseHelmHistory(historyJson(API, revs));
  if (!parsed.ok) throw new Error(parsed.problem);
  return { releases: [{ release: API, history: { ok: true, value: parsed.value }, deployments: { ok: true, value: [{ name: API, images: [] }] } }] };
}

const request = (extra: Partial<RollbackRequest> = {}): RollbackRequest => ({
  releases: [API],
  namespace: 'videokit',
  context: 'prod-eu-west-1-admin',
  pinnedRevisions: {},
  allowPending: false,
  ...extra,
});

function planOf(revs: Rev[], extra: Partial<RollbackRequest> = {}): ReleasePlan {
  const result = planRollback(request(extra), snapshot(revs));
  if (!result.ok) throw new Error(`refused: ${result.problems.map((p) => p.message).join('; ')}`);
  const [plan] = result.plan.releases;
  if (plan === undefined) throw new Error('no release planned');
  return plan;
}

function problemOf(revs: Rev[], extra: Partial<RollbackRequest> = {}): string {
  const result = planRollback(request(extra), snapshot(revs));
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.plan.releases[0])}`);
  return result.problems.map((p) => p.message).join('; ');
}

const sup = (revision: number, description?: string): Rev => ({ revision, status: 'superseded', ...(description === undefined ? {} : { description }) });
const dep = (revision: number, description?: string): Rev => ({ revision, status: 'deployed', ...(description === undefined ? {} : { description }) });
const to = (n: number) => `Rollback to ${n}`;

describe('rollback lineage', () => {
  it('follows rollbacks to rollbacks down to the content they carry, and stops at a pruned source', () => {
    const parsed = parseHelmHistory(historyJson(API, [sup(40), sup(41), sup(42), sup(43, to(41)), sup(44), dep(45, to(43)), dep(46, to(12))]));
    if (!parsed.ok) throw new Error(parsed.problem);
    const lineage = lineageOf(parsed.value);
    expect([40, 41, 42, 43, 44, 45, 46].map((r) => lineage.contentOf(r))).toEqual([40, 41, 42, 41, 44, 41, 12]);
    expect(lineage.chain(45)).toEqual([45, 43, 41]);
  });

  it('ignores descriptions that only look like a rollback', () => {
    const parsed = parseHelmHistory(historyJson(API, [sup(41), sup(42, 'Rollback to 42'), dep(43, 'Rollback to 41 (manual)')]));
    if (!parsed.ok) throw new Error(parsed.problem);
    const lineage = lineageOf(parsed.value);
    expect([lineage.contentOf(42), lineage.contentOf(43)]).toEqual([42, 43]);
  });
});

describe('the target rule', () => {
  it('a completed rollback on top is already rolled back: no write, and the exact command to go further back', () => {
    const plan = planOf([sup(40), sup(41), sup(42), dep(43, to(41))]);
    expect(plan).toMatchObject({ action: 'already-rolled-back', rolledBackTo: 41, carries: 41, furtherBack: { revision: 40 } });
    expect(plan.action === 'already-rolled-back' && plan.furtherBackCommand).toBe(
      'videokit-rollback --execute --context prod-eu-west-1-admin --namespace videokit --release videokit-api --to-revision videokit-api=40',
    );
  });

  it('says when nothing older is left to go further back to, and still plans no write', () => {
    const plan = planOf([sup(41), sup(42), dep(43, to(41))]);
    expect(plan).toMatchObject({ action: 'already-rolled-back', furtherBack: null, furtherBackCommand: null });
  });

  it('a chain of rollbacks: the content is that of the end of the chain, and further back is below all of it', () => {
    const plan = planOf([sup(39), sup(40), sup(41, to(39)), sup(42), dep(43, to(41))]);
    expect(plan).toMatchObject({ action: 'already-rolled-back', rolledBackTo: 41, carries: 39, furtherBack: null });
    const longer = planOf([sup(38), sup(39), sup(40), sup(41, to(39)), sup(42), dep(43, to(41))]);
    expect(longer).toMatchObject({ action: 'already-rolled-back', carries: 39, furtherBack: { revision: 38 } });
  });

  it('a rollback between upgrades is an ordinary earlier revision: it carries the content it rolled back to', () => {
    const plan = planOf([sup(40), sup(41), sup(42), sup(43, to(41)), dep(44)]);
    expect(plan).toMatchObject({ action: 'rollback', target: { revision: 43 }, passedOver: [] });
  });

  it('passes over revisions with the current content and says why (a drill, which always rolls back)', () => {
    const plan = planOf([sup(40), sup(41), sup(42, to(40)), dep(43, to(42))], { requireDeployed: true });
    expect(plan).toMatchObject({
      action: 'rollback',
      target: { revision: 41 },
      passedOver: [{ revision: 42, status: 'superseded', reason: 'same content as current: rollback to 40' }],
    });
    const afterDrill = planOf([sup(40), sup(41), sup(42), sup(43, to(41)), dep(44, to(42))], { requireDeployed: true });
    expect(afterDrill).toMatchObject({ action: 'rollback', target: { revision: 43 } });
  });

  it('passes over the revision the current one rolled back to', () => {
    const drill = planOf([sup(40), sup(41), dep(42, to(41))], { requireDeployed: true });
    expect(drill).toMatchObject({ action: 'rollback', target: { revision: 40 }, passedOver: [{ revision: 41, reason: 'same content as current: the current revision 42 is a rollback to it' }] });
  });

  it('an interrupted rollback: refused with the exact command that finishes it, finished with --allow-pending', () => {
    const history = [sup(40), sup(41), dep(42), { revision: 43, status: 'pending-rollback', description: to(41) }];
    expect(problemOf(history)).toBe(
      'current revision 43 is pending-rollback (Rollback to 41): an interrupted rollback, or one still running; once no other helm operation runs on it, ' +
        'finish it with: videokit-rollback --execute --context prod-eu-west-1-admin --namespace videokit --release videokit-api --allow-pending',
    );
    expect(planOf(history, { allowPending: true })).toMatchObject({
      action: 'rollback',
      target: { revision: 41 },
      passedOver: [{ revision: 42, reason: 'finishing the interrupted rollback to 41' }],
    });
  });

  it('an interrupted rollback whose target is gone or unsafe is refused, even with --allow-pending', () => {
    expect(problemOf([sup(40), dep(42), { revision: 43, status: 'pending-rollback', description: to(41) }], { allowPending: true })).toMatch(
      /interrupted rollback to 41, and 41 is no longer in the history/,
    );
    expect(problemOf([{ revision: 41, status: 'failed' }, dep(42), { revision: 43, status: 'pending-rollback', description: to(41) }], { allowPending: true })).toMatch(
      /41 is failed: its deploy failed; choose a target with --to-revision/,
    );
  });

  it('a pin goes further back from a rolled back release, but never to the content already running', () => {
    const history = [sup(39), sup(40), sup(41), sup(42), dep(43, to(41))];
    expect(planOf(history, { pinnedRevisions: { [API]: 40 } })).toMatchObject({
      action: 'rollback',
      pinned: true,
      target: { revision: 40 },
      passedOver: [
        { revision: 42, reason: 'pinned with --to-revision' },
        { revision: 41, reason: 'pinned with --to-revision' },
      ],
    });
    expect(problemOf(history, { pinnedRevisions: { [API]: 41 } })).toBe(
      '--to-revision 41 carries the same content as the current revision 43 (rollback to 41): rolling back to it would change nothing',
    );
    // Back to the release rolled back from is possible, but only when asked for by number.
    expect(planOf(history, { pinnedRevisions: { [API]: 42 } })).toMatchObject({ action: 'rollback', target: { revision: 42 } });
  });

  it('a pin may retry the content of an interrupted rollback', () => {
    const history = [sup(41), dep(42), { revision: 43, status: 'pending-rollback', description: to(41) }];
    expect(planOf(history, { allowPending: true, pinnedRevisions: { [API]: 41 } })).toMatchObject({ action: 'rollback', target: { revision: 41 } });
  });

  it('a failed rollback on top (helm keeps no record of its target) needs a pin', () => {
    const history = [sup(41), sup(42), { revision: 43, status: 'failed', description: 'Rollback "videokit-api" failed: context deadline exceeded' }];
    expect(problemOf(history)).toMatch(/current revision 43 is a failed rollback.*--to-revision videokit-api=<revision>/);
    expect(planOf(history, { pinnedRevisions: { [API]: 41 } })).toMatchObject({ action: 'rollback', target: { revision: 41 } });
  });

  it('with an approved plan, that plan\'s own rollback done since is already applied; another is not', () => {
    const approvedRollbacks = { [API]: { from: 42, to: 41 } };
    expect(planOf([sup(41), sup(42), dep(43, to(41))], { approvedRollbacks })).toMatchObject({ action: 'already-applied', approvedFrom: 42, target: 41, current: { revision: 43 } });
    expect(planOf([sup(40), sup(41), sup(42), dep(43, to(40))], { approvedRollbacks })).toMatchObject({ action: 'already-rolled-back' });
    // The same description below the approved current was there before the plan: not this plan's.
    expect(planOf([sup(40), sup(41), dep(42, to(41))], { approvedRollbacks: { [API]: { from: 42, to: 41 } } })).toMatchObject({ action: 'already-rolled-back' });
  });

  it('a run where every release is already rolled back is a plan, not a refusal', () => {
    const result = planRollback(request(), snapshot([sup(41), sup(42), dep(43, to(41))]));
    expect(result.ok).toBe(true);
  });
});
