import { describe, expect, it } from 'vitest';
import { parseSelector, matches } from './kube/selectors.js';
import { mergePatch } from './patch/mergePatch.js';
import { strategicMerge } from './patch/strategicMerge.js';

const deployment = {
  metadata: { name: 'api', labels: { a: '1', b: '2' }, finalizers: ['x'] },
  spec: {
    template: {
      spec: {
        containers: [
          { name: 'api', image: 'r/api:1.42.0', ports: [{ containerPort: 8080, protocol: 'TCP' }], env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] },
          { name: 'sidecar', image: 'r/side:1' },
        ],
      },
    },
  },
};

describe('strategic merge patch', () => {
  it('merges containers by name and keeps fields the patch does not name (helm 3 rollback body)', () => {
    const out = strategicMerge(deployment, {
      metadata: { labels: { b: '3' } },
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'api' }, { name: 'sidecar' }], containers: [{ image: 'r/api:1.41.0', name: 'api' }] } } },
    }) as typeof deployment;
    expect(out.metadata.labels).toEqual({ a: '1', b: '3' });
    expect(out.spec.template.spec.containers.map((c) => [c.name, c.image])).toEqual([
      ['api', 'r/api:1.41.0'],
      ['sidecar', 'r/side:1'],
    ]);
    expect(out.spec.template.spec.containers[0]?.env).toHaveLength(2);
  });

  it('deletes with null, $patch: delete in lists, and $deleteFromPrimitiveList', () => {
    const out = strategicMerge(deployment, {
      metadata: { labels: { a: null }, '$deleteFromPrimitiveList/finalizers': ['x'] },
      spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }, { name: 'api', env: [{ name: 'A', $patch: 'delete' }] }] } } },
    }) as typeof deployment;
    expect(out.metadata).toEqual({ name: 'api', labels: { b: '2' }, finalizers: [] });
    expect(out.spec.template.spec.containers.map((c) => c.name)).toEqual(['api']);
    expect(out.spec.template.spec.containers[0]?.env).toEqual([{ name: 'B', value: '2' }]);
  });

  it('replaces with $patch: replace and honours $retainKeys; orders by $setElementOrder', () => {
    const out = strategicMerge(deployment, {
      metadata: { labels: { $patch: 'replace', c: '9' } },
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'sidecar' }, { name: 'api' }], containers: [{ name: 'sidecar', image: 'r/side:2' }] } }, $retainKeys: ['template'] },
    }) as typeof deployment;
    expect(out.metadata.labels).toEqual({ c: '9' });
    expect(out.spec.template.spec.containers.map((c) => [c.name, c.image])).toEqual([
      ['sidecar', 'r/side:2'],
      ['api', 'r/api:1.42.0'],
    ]);
  });

  it('merges container ports by containerPort and Service ports by port', () => {
    const svc = { spec: { ports: [{ port: 80, name: 'http' }, { port: 443, name: 'https' }] } };
    expect(strategicMerge(svc, { spec: { ports: [{ port: 443, name: 'tls' }] } })).toEqual({ spec: { ports: [{ port: 80, name: 'http' }, { port: 443, name: 'tls' }] } });
    const out = strategicMerge(deployment, { spec: { template: { spec: { containers: [{ name: 'api', ports: [{ containerPort: 9090 }] }] } } } }) as typeof deployment;
    expect(out.spec.template.spec.containers[0]?.ports?.map((p) => p.containerPort)).toEqual([8080, 9090]);
  });

  it('replaces lists without a merge key', () => {
    expect(strategicMerge({ spec: { args: ['a', 'b'] } }, { spec: { args: ['c'] } })).toEqual({ spec: { args: ['c'] } });
  });
});

describe('JSON merge patch', () => {
  it('follows RFC 7386', () => {
    expect(mergePatch({ a: { b: 1, c: 2 }, l: [1, 2] }, { a: { b: null, d: 3 }, l: [3] })).toEqual({ a: { c: 2, d: 3 }, l: [3] });
  });
});

describe('selectors', () => {
  const labels: Record<string, string> = { 'app.kubernetes.io/instance': 'videokit-api', tier: 'web' };
  const m = (s: string): boolean => matches(parseSelector(s), (k) => labels[k]);
  it('parses equality, set and existence requirements', () => {
    expect(m('app.kubernetes.io/instance=videokit-api')).toBe(true);
    expect(m('app.kubernetes.io/instance==videokit-api,tier!=db')).toBe(true);
    expect(m('tier in (web, api),!missing')).toBe(true);
    expect(m('tier notin (web)')).toBe(false);
    expect(m('missing')).toBe(false);
    expect(m('')).toBe(true);
  });
});
