import { describe, expect, it } from 'vitest';
import { buildPlanDocument, type PlanFacts } from '../../src/plan/approval/buildPlanDocument.js';
import { comparePlans, planAgeProblem } from '../../src/plan/approval/comparePlans.js';
import { parsePlanDocument, type PlanDocument } from '../../src/plan/approval/planDocument.js';
import type { HistoryEntry, RollbackPlan } from '../../src/plan/types.js';

const rev = (revision: number, status: string, chart = `api-0.${revision}.0`): HistoryEntry => ({ revision, status, updated: undefined, chart, appVersion: `1.${revision}.0`, description: '' });
const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

const plan: RollbackPlan = {
  schemaVersion: 1,
  context: 'prod-eu-west-1-admin',
  namespace: 'videokit',
  releases: [
    { release: 'videokit-api', action: 'rollback', current: rev(42, 'deployed'), target: rev(41, 'superseded'), pinned: false, passedOver: [], deployments: [{ name: 'videokit-api', images: ['x:1'] }], warnings: [] },
    { release: 'lonely', action: 'skip', reason: 'only revision 1 exists: nothing to go back to', current: rev(1, 'deployed') },
  ],
};

const facts: PlanFacts = {
  tool: { name: 'videokit-rollback', version: '0.1.0' },
  helmVersion: 'v4.1.4+g05fa379',
  kubectlVersion: 'v1.35.2',
  clusterServer: 'https://prod-eu-west-1.example:6443',
  targetEnv: 'prod-eu-west-1',
  user: 'alice',
  host: 'bastion',
  createdAt: '2026-11-26T09:00:00.000Z',
  allowPending: false,
  targetManifestSha256: { 'videokit-api': SHA_A },
};

const approved = buildPlanDocument(plan, facts);
const edit = (change: (doc: PlanDocument) => void): PlanDocument => {
  const copy = structuredClone(approved);
  change(copy);
  return copy;
};
const api = (doc: PlanDocument) => {
  const release = doc.releases[0];
  if (release?.action !== 'rollback') throw new Error('fixture');
  return release;
};

describe('the approved-plan document', () => {
  it('records versions, context, cluster, who and when, and per release the revisions, Deployments and manifest hash', () => {
    expect(approved).toMatchObject({
      kind: 'videokit-rollback/approved-plan',
      schemaVersion: 1,
      helm: { version: 'v4.1.4+g05fa379' },
      kubectl: { version: 'v1.35.2' },
      cluster: { server: 'https://prod-eu-west-1.example:6443' },
      createdBy: { user: 'alice', host: 'bastion' },
      targetEnv: 'prod-eu-west-1',
    });
    expect(approved.releases[0]).toEqual({
      release: 'videokit-api', action: 'rollback', pinned: false, deployments: ['deployment/videokit-api'], targetManifestSha256: SHA_A,
      current: { revision: 42, status: 'deployed', chart: 'api-0.42.0', appVersion: '1.42.0' },
      target: { revision: 41, status: 'superseded', chart: 'api-0.41.0', appVersion: '1.41.0' },
    });
  });

  it('round-trips through JSON and refuses other kinds, versions and shapes', () => {
    expect(parsePlanDocument(JSON.stringify(approved))).toEqual({ ok: true, document: approved });
    expect(parsePlanDocument('{')).toEqual({ ok: false, problem: 'is not JSON' });
    expect(parsePlanDocument(JSON.stringify({ ...approved, kind: 'other' }))).toMatchObject({ ok: false, problem: expect.stringMatching(/not a videokit-rollback plan/) });
    expect(parsePlanDocument(JSON.stringify({ ...approved, schemaVersion: 2 }))).toMatchObject({ ok: false, problem: expect.stringMatching(/schemaVersion 2; this version of the tool reads 1/) });
    const badHash = edit((d) => (api(d).targetManifestSha256 = 'nope'));
    expect(parsePlanDocument(JSON.stringify(badHash))).toMatchObject({ ok: false, problem: expect.stringMatching(/releases\.0\.targetManifestSha256/) });
  });
});

describe('comparePlans', () => {
  it('finds nothing when nothing moved (who and when do not count)', () => {
    expect(comparePlans(approved, edit((d) => { d.createdAt = '2026-11-26T09:30:00.000Z'; d.createdBy.user = 'bob'; d.helm.version = 'v4.1.5'; }))).toEqual([]);
  });

  it('lists each difference: new revision, status change, different target, manifest hash, context, cluster, TARGET_ENV', () => {
    expect(comparePlans(approved, edit((d) => { api(d).current = { revision: 43, status: 'deployed', chart: 'api-0.43.0', appVersion: '1.43.0' }; }))).toEqual([
      { release: 'videokit-api', what: 'new revision 43 (deployed) since the plan was approved at 42' },
    ]);
    expect(comparePlans(approved, edit((d) => { api(d).current.status = 'failed'; }))).toEqual([
      { release: 'videokit-api', what: 'current revision 42 status changed: deployed -> failed' },
    ]);
    expect(comparePlans(approved, edit((d) => { api(d).target = { revision: 40, status: 'superseded', chart: 'api-0.40.0', appVersion: '1.40.0' }; }))).toEqual([
      { release: 'videokit-api', what: 'different target: approved 41, now 40' },
    ]);
    expect(comparePlans(approved, edit((d) => { api(d).targetManifestSha256 = SHA_B; }))).toEqual([
      { release: 'videokit-api', what: 'manifest of target revision 41 differs (sha256 aaaaaaaaaaaa… approved, bbbbbbbbbbbb… now)' },
    ]);
    expect(comparePlans(approved, edit((d) => { d.context = 'staging-admin'; d.cluster.server = 'https://staging:6443'; d.targetEnv = null; }))).toEqual([
      { release: null, what: 'context: approved prod-eu-west-1-admin, now staging-admin' },
      { release: null, what: 'cluster of context staging-admin: approved https://prod-eu-west-1.example:6443, now https://staging:6443' },
      { release: null, what: 'TARGET_ENV: approved prod-eu-west-1, now (unset)' },
    ]);
    expect(comparePlans(approved, edit((d) => { api(d).deployments = ['videokit-api', 'videokit-api-canary']; }))).toEqual([
      { release: 'videokit-api', what: 'workloads to watch changed: approved [deployment/videokit-api], now [deployment/videokit-api, deployment/videokit-api-canary]' },
    ]);
  });

  it('reports a skipped release that can now be rolled back', () => {
    const now = edit((d) => {
      d.releases[1] = { release: 'lonely', action: 'rollback', current: { revision: 2, status: 'deployed', chart: 'l', appVersion: '' }, target: { revision: 1, status: 'superseded', chart: 'l', appVersion: '' }, pinned: false, deployments: [], targetManifestSha256: SHA_B };
    });
    expect(comparePlans(approved, now).map((d) => d.what)).toEqual([
      'new revision 2 (deployed) since the plan was approved at 1',
      'approved to skip (only revision 1 exists: nothing to go back to), now it would roll back to 1',
    ]);
  });
});

describe('planAgeProblem (--plan-max-age)', () => {
  const created = '2026-11-26T09:00:00.000Z';
  it('accepts a plan within the age and refuses an older one or one from the future', () => {
    expect(planAgeProblem(created, new Date('2026-11-26T09:59:59Z'), 3_600_000)).toBeUndefined();
    expect(planAgeProblem(created, new Date('2026-11-26T10:00:01Z'), 3_600_000)).toMatch(/60 min ago: older than --plan-max-age/);
    expect(planAgeProblem(created, new Date('2026-11-26T08:50:00Z'), 3_600_000)).toMatch(/in the future/);
  });
});
