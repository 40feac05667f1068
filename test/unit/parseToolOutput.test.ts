import { describe, expect, it } from 'vitest';
import { parseHelmHistory, parseWorkloadList, selectorString } from '../../src/plan/parseToolOutput.js';

describe('parseHelmHistory', () => {
  it('reads helm 4 output without `updated` and tolerates unknown fields', () => {
    const parsed = parseHelmHistory(
      '[{"revision":1,"status":"superseded","chart":"api-0.1.0","app_version":"1.0","description":"Install complete"},' +
        '{"revision":2,"status":"deployed","chart":"api-0.2.0","app_version":"1.1","description":"Rollback to 1","rollback_revision":1}]',
    );
    expect(parsed).toEqual({
      ok: true,
      value: [
        { revision: 1, updated: undefined, status: 'superseded', chart: 'api-0.1.0', appVersion: '1.0', description: 'Install complete' },
        { revision: 2, updated: undefined, status: 'deployed', chart: 'api-0.2.0', appVersion: '1.1', description: 'Rollback to 1' },
      ],
    });
  });

  it('skips warnings printed before the JSON', () => {
    const parsed = parseHelmHistory('WARNING: Kubernetes configuration file is group-readable.\n[{"revision":3,"status":"deployed","chart":"c"}]');
    expect(parsed.ok && parsed.value[0]?.revision).toBe(3);
  });

  it.each([
    ['truncated JSON', '[{"revision":3,"sta', /not valid JSON/],
    ['HTML from a proxy', '<html><body>502 Bad Gateway</body></html>', /expected JSON, got: <html>/],
    ['empty output', '', /expected JSON, got: \(empty output\)/],
    ['a wrong shape', '{"revision":1}', /unexpected shape/],
    ['a negative revision', '[{"revision":-1,"status":"deployed","chart":"c"}]', /unexpected shape \(0\.revision/],
    ['a duplicate revision', '[{"revision":1,"status":"deployed","chart":"c"},{"revision":1,"status":"failed","chart":"c"}]', /twice/],
  ])('refuses %s with a reason', (_label, stdout, problem) => {
    const parsed = parseHelmHistory(stdout);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatch(problem);
  });

  it('accepts an empty array (planning decides what it means)', () => {
    expect(parseHelmHistory('[]\n')).toEqual({ ok: true, value: [] });
  });
});

describe('parseWorkloadList', () => {
  const template = (image: string) => ({ template: { spec: { containers: [{ name: 'a', image }] } } });
  const selector = { matchLabels: { 'app.kubernetes.io/instance': 'worker', 'app.kubernetes.io/component': 'db' } };

  it('reads each item\'s kind, name, images and ready counts (a DaemonSet\'s per node)', () => {
    const parsed = parseWorkloadList(
      JSON.stringify({
        kind: 'List',
        items: [
          { kind: 'Deployment', metadata: { name: 'api' }, spec: template('r/api:1'), status: { replicas: 2, readyReplicas: 1 } },
          { kind: 'StatefulSet', metadata: { name: 'db' }, spec: { ...template('r/db:1'), selector, updateStrategy: { type: 'RollingUpdate' } }, status: { replicas: 1 } },
          { kind: 'DaemonSet', metadata: { name: 'agent' }, spec: template('r/agent:1'), status: { desiredNumberScheduled: 3, numberReady: 3 } },
        ],
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      value: [
        { kind: 'Deployment', name: 'api', images: ['r/api:1'], replicas: 2, readyReplicas: 1 },
        { kind: 'StatefulSet', name: 'db', images: ['r/db:1'], replicas: 1, readyReplicas: 0 },
        { kind: 'DaemonSet', name: 'agent', images: ['r/agent:1'], replicas: 3, readyReplicas: 3 },
      ],
    });
  });

  it('marks an OnDelete StatefulSet or DaemonSet and keeps its selector to wait for its Pods', () => {
    const parsed = parseWorkloadList(
      JSON.stringify({
        items: [
          { kind: 'StatefulSet', metadata: { name: 'db' }, spec: { selector, updateStrategy: { type: 'OnDelete' } } },
          { kind: 'DaemonSet', metadata: { name: 'agent' }, spec: { selector: { matchLabels: { app: 'agent' } }, updateStrategy: { type: 'OnDelete' } } },
        ],
      }),
    );
    expect(parsed).toEqual({
      ok: true,
      value: [
        { kind: 'StatefulSet', name: 'db', images: [], onDelete: true, podSelector: 'app.kubernetes.io/instance=worker,app.kubernetes.io/component=db' },
        { kind: 'DaemonSet', name: 'agent', images: [], onDelete: true, podSelector: 'app=agent' },
      ],
    });
  });

  it('refuses an OnDelete workload whose selector kubectl cannot be given, an unknown kind, and a name that could become a flag', () => {
    const odd = parseWorkloadList(JSON.stringify({ items: [{ kind: 'StatefulSet', metadata: { name: 'db' }, spec: { selector: { matchLabels: { 'a,b': 'c' } }, updateStrategy: { type: 'OnDelete' } } }] }));
    expect(!odd.ok && odd.problem).toBe('statefulset/db uses updateStrategy OnDelete and its spec.selector cannot be passed to kubectl --selector to wait for its Pods');
    const job = parseWorkloadList(JSON.stringify({ items: [{ kind: 'Job', metadata: { name: 'x' } }] }));
    expect(!job.ok && job.problem).toMatch(/^kubectl get deployments,statefulsets,daemonsets printed an unexpected shape \(items\.0\.kind/);
    const flag = parseWorkloadList(JSON.stringify({ items: [{ kind: 'Deployment', metadata: { name: '--all' } }] }));
    expect(!flag.ok && flag.problem).toMatch(/not a valid object name/);
  });

  it('writes a selector in kubectl\'s syntax, expressions included', () => {
    expect(
      selectorString({
        matchLabels: { app: 'db' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
          { key: 'zone', operator: 'NotIn', values: ['x'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'example.com/owned', operator: 'Exists' },
        ],
      }),
    ).toBe('app=db,tier in (a,b),zone notin (x),!canary,example.com/owned');
    expect(selectorString({})).toBeUndefined();
    expect(selectorString({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })).toBeUndefined();
  });
});
