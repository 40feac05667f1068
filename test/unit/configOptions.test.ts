import { describe, expect, it } from 'vitest';
import { buildPlanDocument } from '../../src/plan/approval/buildPlanDocument.js';
import { resolveConfig } from '../../src/cli/config.js';
import type { RawOptions } from '../../src/cli/program.js';
import { flags } from '../support/flags.js';
import { RollbackFailure } from '../../src/domain/errors.js';
import { renderDiffs } from '../../src/views/renderDiff.js';
import { makeChalk } from '../../src/views/style.js';

const base: RawOptions = { release: ['videokit-api'], namespace: 'videokit', context: 'prod-eu-west-1-admin', dryRun: true, timeout: '10m', output: 'text', concurrency: '8', planMaxAge: '1h' };
const kind = (fn: () => unknown): string => {
  try {
    fn();
    return 'ok';
  } catch (error) {
    return error instanceof RollbackFailure ? `${error.kind}: ${error.message}` : String(error);
  }
};

const approved = {
  path: 'plan.json',
  sha256: 'f'.repeat(64),
  document: buildPlanDocument(
    {
      schemaVersion: 1, context: 'prod-eu-west-1-admin', namespace: 'videokit',
      releases: [{ release: 'videokit-api', action: 'rollback', pinned: true, passedOver: [], deployments: [], warnings: [],
        current: { revision: 42, status: 'deployed', chart: 'c', appVersion: '', updated: undefined, description: '' },
        target: { revision: 40, status: 'superseded', chart: 'c', appVersion: '', updated: undefined, description: '' } }],
    },
    { tool: { name: 't', version: '1' }, helmVersion: 'v4.1.4', kubectlVersion: 'v1.35.2', clusterServer: 'https://k:6443', targetEnv: undefined, user: 'a', host: 'h', createdAt: '2026-11-26T09:00:00.000Z', allowPending: true, targetManifestSha256: { 'videokit-api': 'a'.repeat(64) } },
  ),
};

describe('resolveConfig: --atomic, --check-url, --wait-strategy, --diff, approved plans and --annotate', () => {
  it('accepts them where they belong', () => {
    const config = resolveConfig(flags({ ...base, atomic: true, checkUrl: ['https://api.example/readyz'], waitStrategy: 'legacy', diff: true, planOut: 'p.json', planMaxAge: '30m' }), {});
    expect(config).toMatchObject({ atomic: true, checkUrls: ['https://api.example/readyz'], waitStrategy: 'legacy', diff: true, planOut: 'p.json', planMaxAgeMs: 1_800_000, annotate: undefined });
    const annotated = resolveConfig(flags({ ...base, annotate: true, annotateDashboard: 'uid', annotateTag: ['drill'] }), { GRAFANA_URL: 'https://g.example', GRAFANA_TOKEN: 't' });
    expect(annotated.annotate).toEqual({ baseUrl: 'https://g.example', token: 't', dashboardUid: 'uid', extraTags: ['drill'] });
  });

  it('refuses misplaced or malformed ones as usage errors', () => {
    expect(kind(() => resolveConfig(flags({ ...base, dryRun: false, execute: true, diff: true }), {}))).toBe('usage: --diff goes with --dry-run');
    expect(kind(() => resolveConfig(flags({ ...base, annotateTag: ['x'] }), {}))).toBe('usage: --annotate-dashboard and --annotate-tag need --annotate');
    expect(kind(() => resolveConfig(flags({ ...base, annotate: true }), { GRAFANA_URL: 'https://g.example' }))).toMatch(/^usage: --annotate needs \$GRAFANA_URL and \$GRAFANA_TOKEN/);
    expect(kind(() => resolveConfig(flags({ ...base, annotate: true }), { GRAFANA_URL: 'ftp://g', GRAFANA_TOKEN: 't' }))).toBe('usage: $GRAFANA_URL must be an http or https URL');
    expect(kind(() => resolveConfig(flags({ ...base, checkUrl: ['not a url'] }), {}))).toBe('usage: --check-url "not a url" is not a URL');
    expect(kind(() => resolveConfig(flags({ ...base, planMaxAge: '1d' }), {}))).toMatch(/^usage: --plan-max-age: invalid duration "1d"/);
    expect(kind(() => resolveConfig(flags({ ...base, dryRun: false, execute: true, drill: true, atomic: true }), {}))).toMatch(/^usage: --atomic and --drill do not go together/);
  });

  it('--plan supplies releases, namespace, context and only the approver\'s pins; an explicit other context is a plan refusal', () => {
    const raw: RawOptions = { timeout: '10m', output: 'text', concurrency: '8', planMaxAge: '1h', execute: true, yes: true };
    const config = resolveConfig(flags(raw), {}, undefined, approved);
    expect(config).toMatchObject({ releases: ['videokit-api'], namespace: 'videokit', context: 'prod-eu-west-1-admin', contextSource: 'plan', pinnedRevisions: { 'videokit-api': 40 }, allowPending: true });
    expect(kind(() => resolveConfig(flags({ ...raw, namespace: 'other' }), {}, undefined, approved))).toBe('usage: --plan plan.json decides --namespace: do not give both');
    expect(kind(() => resolveConfig(flags(raw), { KUBE_CONTEXT: 'staging-admin' }, undefined, approved))).toBe('plan: the approved plan plan.json no longer matches; nothing was changed');
    expect(resolveConfig(flags(raw), { KUBE_CONTEXT: 'prod-eu-west-1-admin' }, undefined, approved).context).toBe('prod-eu-west-1-admin');
  });
});

describe('renderDiffs', () => {
  const diffs = [{ release: 'api', from: 42, to: 41, problem: null, resources: [{ resource: 'Deployment/api', change: 'changed' as const, patch: '--- a\n+++ b\n@@ -1 +1 @@\n-image: 1.42.0\n+image: 1.41.0\n' }] }];
  it('colours removed, added and hunk lines only when colour is on', () => {
    const coloured = renderDiffs(diffs, makeChalk(true));
    expect(coloured).toContain('\u001b[31m-image: 1.42.0\u001b[39m');
    expect(coloured).toContain('\u001b[32m+image: 1.41.0\u001b[39m');
    expect(coloured).toContain('\u001b[36m@@ -1 +1 @@\u001b[39m');
    const plain = renderDiffs(diffs, makeChalk(false));
    expect(plain).not.toContain('\u001b[');
    expect(plain).toContain('    -image: 1.42.0\n    +image: 1.41.0');
  });
});
