import { RESOURCES, verbsOf } from '../kube/resources.js';

/**
 * Legacy (unaggregated) discovery. Both kubectl versions and helm first ask for aggregated
 * discovery (`Accept: application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,...`)
 * but fall back to these documents when the response is plain `application/json`.
 */

/** `GET /version`: helm's reachability check (kubectl never asks for these commands). */
export function versionInfo(): Record<string, string> {
  return {
    major: '1',
    minor: '33',
    gitVersion: 'v1.33.1-sandbox',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2026-01-01T00:00:00Z',
    goVersion: 'go1.24.0',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

export function apiVersions(hostPort: string): Record<string, unknown> {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: hostPort }] };
}

export function apiGroupList(): Record<string, unknown> {
  const groups = [...new Set(RESOURCES.filter((r) => r.group !== '').map((r) => `${r.group}/${r.version}`))].map((gv) => {
    const [name, version] = gv.split('/') as [string, string];
    const v = { groupVersion: gv, version };
    return { name, versions: [v], preferredVersion: v };
  });
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiResourceList(group: string, version: string): Record<string, unknown> {
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version).flatMap((r) => [
    {
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: verbsOf(r),
      ...(r.shortNames ? { shortNames: r.shortNames } : {}),
      ...(r.categories ? { categories: r.categories } : {}),
      storageVersionHash: Buffer.from(r.kind).toString('base64').slice(0, 11),
    },
    ...(r.subresources ?? []).map((sub) =>
      sub === 'scale'
        ? { name: `${r.resource}/scale`, singularName: '', namespaced: r.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] }
        : { name: `${r.resource}/status`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] },
    ),
  ]);
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group === '' ? version : `${group}/${version}`, resources };
}
