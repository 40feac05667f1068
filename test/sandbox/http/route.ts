import { findResource, RESOURCES, type ResourceType } from '../kube/resources.js';

export type Route =
  | { kind: 'version' }
  | { kind: 'health' }
  | { kind: 'api' }
  | { kind: 'apis' }
  | { kind: 'groupVersion'; group: string; version: string }
  | { kind: 'resource'; rt: ResourceType; namespace?: string; name?: string; subresource?: string }
  | { kind: 'notFound' };

/**
 * Maps a request path to what it addresses:
 * `/api/v1/namespaces/NS/pods/NAME/status`, `/apis/apps/v1/deployments` (all namespaces),
 * `/api/v1/namespaces/NAME` (the cluster-scoped Namespace itself).
 */
export function route(pathname: string): Route {
  const segs = pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  if (segs.length === 1 && segs[0] === 'version') return { kind: 'version' };
  if (segs.length >= 1 && ['healthz', 'readyz', 'livez'].includes(segs[0]!)) return { kind: 'health' };
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api') {
    if (segs.length === 1) return { kind: 'api' };
    group = '';
    version = segs[1]!;
    rest = segs.slice(2);
  } else if (segs[0] === 'apis') {
    if (segs.length === 1) return { kind: 'apis' };
    if (segs.length === 2) return { kind: 'notFound' };
    group = segs[1]!;
    version = segs[2]!;
    rest = segs.slice(3);
  } else return { kind: 'notFound' };
  if (rest.length === 0) return RESOURCES.some((r) => r.group === group && r.version === version) ? { kind: 'groupVersion', group, version } : { kind: 'notFound' };
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const rt = findResource(group, version, rest[0]!);
  if (!rt || rest.length > 3 || (namespace !== undefined && !rt.namespaced)) return { kind: 'notFound' };
  return {
    kind: 'resource',
    rt,
    ...(namespace === undefined ? {} : { namespace }),
    ...(rest[1] === undefined ? {} : { name: rest[1] }),
    ...(rest[2] === undefined ? {} : { subresource: rest[2] }),
  };
}
