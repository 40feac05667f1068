import { describe, expect, it } from 'vitest';
import { planRollback } from '../../src/plan/planRollback.js';
import { parseHelmHistory } from '../../src/plan/parseToolOutput.js';
import type { ClusterSnapshot, HistoryEntry, RollbackRequest } from '../../src/plan/types.js';
import { historyJson, type Rev } from '../support/history.js';

function history(release: string, revs: Rev[]): HistoryEntry[] {
  const parsed = parseHelmHistory(historyJson(release, revs));
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.value;
}

function snapshot(histories: Record<string, Rev[]>, deployments: Record<string, string[]> = {}): ClusterSnapshot {
  return {
    releases: Object.entries(histories).map(([release, revs]) => ({
      release,
      history: { ok: true, value: history(release, revs) },
      deployments: { ok: true, value: (deployments[release] ?? [release]).map((name) => ({ name, images: [] })) },
    })),
  };
}

const request = (releases: string[], extra: Partial<RollbackRequest> = {}): RollbackRequest => ({
  releases,
  namespace: 'videokit',
  context: 'prod-eu-west-1-admin',
  pinnedRevisions: {},
  allowPending: false,
  ...extra,
});

describe('planRollback', () => {
  it('chooses the revision below the current for each release, in the order given', () => {
    const result = planRollback(
      request(['videokit-api', 'videokit-worker']),
      snapshot({
        'videokit-worker': [{ revision: 16, status: 'superseded' }, { revision: 17, status: 'superseded' }, { revision: 18, status: 'deployed' }],
        'videokit-api': [{ revision: 41, status: 'superseded' }, { revision: 42, status: 'deployed' }],
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.releases.map((r) => [r.release, r.action === 'rollback' ? [r.current.revision, r.target.revision] : null])).toEqual([
      ['videokit-api', [42, 41]],
      ['videokit-worker', [18, 17]],
    ]);
  });

  it('passes over a failed revision in between and says why', () => {
    const result = planRollback(
      request(['videokit-api']),
      snapshot({ 'videokit-api': [{ revision: 40, status: 'superseded' }, { revision: 41, status: 'failed' }, { revision: 42, status: 'deployed' }] }),
    );
    if (!result.ok) throw new Error('expected a plan');
    const [release] = result.plan.releases;
    if (release?.action !== 'rollback') throw new Error('expected a rollback');
    expect(release.target.revision).toBe(40);
    expect(release.passedOver).toEqual([{ revision: 41, status: 'failed', reason: 'its deploy failed' }]);
  });

  it('takes a deployed revision below a failed current one (a failed upgrade leaves it deployed)', () => {
    const result = planRollback(
      request(['videokit-api']),
      snapshot({ 'videokit-api': [{ revision: 41, status: 'deployed' }, { revision: 42, status: 'failed' }] }),
    );
    if (!result.ok) throw new Error('expected a plan');
    expect(result.plan.releases[0]).toMatchObject({ action: 'rollback', target: { revision: 41, status: 'deployed' } });
  });

  it('refuses a pending current revision unless allowed', () => {
    const histories = { 'videokit-api': [{ revision: 41, status: 'superseded' }, { revision: 42, status: 'pending-rollback' }] };
    const refused = planRollback(request(['videokit-api']), snapshot(histories));
    expect(refused).toEqual({
      ok: false,
      problems: [{ release: 'videokit-api', message: expect.stringMatching(/current revision 42 is pending-rollback.*--allow-pending/) }],
    });
    const allowed = planRollback(request(['videokit-api'], { allowPending: true }), snapshot(histories));
    expect(allowed.ok && allowed.plan.releases[0]).toMatchObject({ action: 'rollback', target: { revision: 41 } });
  });

  it('skips a release with a single revision and plans the others', () => {
    const result = planRollback(
      request(['videokit-api', 'videokit-worker']),
      snapshot({
        'videokit-api': [{ revision: 1, status: 'deployed' }],
        'videokit-worker': [{ revision: 17, status: 'superseded' }, { revision: 18, status: 'deployed' }],
      }),
    );
    if (!result.ok) throw new Error('expected a plan');
    expect(result.plan.releases[0]).toMatchObject({ action: 'skip', reason: expect.stringMatching(/only revision 1 exists/) });
    expect(result.plan.releases[1]).toMatchObject({ action: 'rollback', target: { revision: 17 } });
  });

  it('refuses when every release is skipped', () => {
    const result = planRollback(request(['videokit-api']), snapshot({ 'videokit-api': [{ revision: 1, status: 'deployed' }] }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems[0]?.message).toMatch(/nothing to roll back/);
  });

  it('says history may have been pruned when no eligible revision is left', () => {
    const result = planRollback(
      request(['videokit-api']),
      snapshot({ 'videokit-api': [{ revision: 33, status: 'failed' }, { revision: 34, status: 'deployed' }] }),
    );
    expect(!result.ok && result.problems[0]?.message).toMatch(/pruned by --history-max/);
  });

  it('honours a pinned target, and refuses pins that are missing, not lower, or not safe', () => {
    const histories = {
      'videokit-api': [
        { revision: 39, status: 'superseded' },
        { revision: 40, status: 'failed' },
        { revision: 41, status: 'superseded' },
        { revision: 42, status: 'deployed' },
      ],
    };
    const pinned = planRollback(request(['videokit-api'], { pinnedRevisions: { 'videokit-api': 39 } }), snapshot(histories));
    expect(pinned.ok && pinned.plan.releases[0]).toMatchObject({ action: 'rollback', pinned: true, target: { revision: 39 } });
    const problem = (pin: number) => {
      const r = planRollback(request(['videokit-api'], { pinnedRevisions: { 'videokit-api': pin } }), snapshot(histories));
      return r.ok ? undefined : r.problems[0]?.message;
    };
    expect(problem(7)).toMatch(/not in the release history/);
    expect(problem(42)).toMatch(/not below the current revision 42/);
    expect(problem(43)).toMatch(/not below the current revision 42/);
    expect(problem(40)).toMatch(/status "failed"/);
  });

  it('refuses a pin for a release that is not being rolled back', () => {
    const result = planRollback(
      request(['videokit-api'], { pinnedRevisions: { other: 3 } }),
      snapshot({ 'videokit-api': [{ revision: 41, status: 'superseded' }, { revision: 42, status: 'deployed' }] }),
    );
    expect(!result.ok && result.problems).toEqual([{ release: 'other', message: expect.stringMatching(/not in --release/) }]);
  });

  it('treats an empty updated field like an absent one', () => {
    const [entry] = history('videokit-api', [{ revision: 1, status: 'deployed', updated: '' }]);
    expect(entry?.updated).toBeUndefined();
  });

  it('reports every problem at once and plans nothing when any release fails', () => {
    const result = planRollback(request(['videokit-api', 'videokit-worker']), {
      releases: [
        { release: 'videokit-api', history: { ok: false, problem: 'release not found' }, deployments: { ok: true, value: [] } },
        {
          release: 'videokit-worker',
          history: { ok: true, value: history('videokit-worker', [{ revision: 17, status: 'superseded' }, { revision: 18, status: 'pending-upgrade' }]) },
          deployments: { ok: true, value: [] },
        },
      ],
    });
    expect(!result.ok && result.problems.map((p) => p.release)).toEqual(['videokit-api', 'videokit-worker']);
  });

  it('warns, without failing, when a release has no workload to watch', () => {
    const result = planRollback(
      request(['videokit-api']),
      snapshot({ 'videokit-api': [{ revision: 41, status: 'superseded' }, { revision: 42, status: 'deployed' }] }, { 'videokit-api': [] }),
    );
    expect(result.ok && result.plan.releases[0]).toMatchObject({
      warnings: ['no Deployment, StatefulSet or DaemonSet labelled app.kubernetes.io/instance=videokit-api: there will be no rollout to verify'],
    });
  });

  it('warns about an OnDelete StatefulSet, naming its kind, and keeps it to be waited for', () => {
    const db = { kind: 'StatefulSet' as const, name: 'videokit-worker-db', images: [], onDelete: true, podSelector: 'app=db' };
    const result = planRollback(request(['videokit-worker']), {
      releases: [
        {
          release: 'videokit-worker',
          history: { ok: true, value: history('videokit-worker', [{ revision: 17, status: 'superseded' }, { revision: 18, status: 'deployed' }]) },
          deployments: { ok: true, value: [{ kind: 'Deployment', name: 'videokit-worker', images: [] }, db] },
        },
      ],
    });
    expect(result.ok && result.plan.releases[0]).toMatchObject({
      deployments: [{ kind: 'Deployment', name: 'videokit-worker' }, db],
      warnings: [
        'statefulset/videokit-worker-db uses updateStrategy OnDelete: kubectl rollout status cannot report on it, so its Pods are waited for (ready) instead; ' +
          'its controller does not replace running Pods, which keep their old template until they are deleted',
      ],
    });
  });
});

describe('planRollback for a drill (requireDeployed)', () => {
  it('refuses a release whose newest revision is not deployed, even one that would be skipped', () => {
    const result = planRollback(
      request(['api', 'worker', 'lonely'], { requireDeployed: true }),
      snapshot({
        api: [{ revision: 41, status: 'superseded' }, { revision: 42, status: 'deployed' }],
        worker: [{ revision: 17, status: 'superseded' }, { revision: 18, status: 'pending-upgrade' }],
        lonely: [{ revision: 1, status: 'failed' }],
      }),
    );
    expect(result).toEqual({
      ok: false,
      problems: [
        { release: 'worker', message: 'current revision 18 is pending-upgrade, not deployed: a drill starts from a healthy state' },
        { release: 'lonely', message: 'current revision 1 is failed, not deployed: a drill starts from a healthy state' },
      ],
    });
  });
});
