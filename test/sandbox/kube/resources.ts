/**
 * The resource types the emulator serves. Discovery documents, URL routing and the store all
 * read this table, so a type exists everywhere or nowhere.
 */

export interface ResourceType {
  group: string; // '' for the core group
  version: string;
  resource: string; // plural, as in URLs
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  subresources?: ('status' | 'scale')[];
  /** Whether writes to the main resource bump metadata.generation on spec changes. */
  generation?: boolean;
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: readonly ResourceType[] = [
  { group: '', version: 'v1', resource: 'namespaces', singular: 'namespace', kind: 'Namespace', namespaced: false, shortNames: ['ns'], subresources: ['status'] },
  { group: '', version: 'v1', resource: 'secrets', singular: 'secret', kind: 'Secret', namespaced: true },
  { group: '', version: 'v1', resource: 'configmaps', singular: 'configmap', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'] },
  { group: '', version: 'v1', resource: 'services', singular: 'service', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'], subresources: ['status'] },
  { group: '', version: 'v1', resource: 'pods', singular: 'pod', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'], subresources: ['status'] },
  { group: '', version: 'v1', resource: 'serviceaccounts', singular: 'serviceaccount', kind: 'ServiceAccount', namespaced: true, shortNames: ['sa'] },
  { group: '', version: 'v1', resource: 'events', singular: 'event', kind: 'Event', namespaced: true, shortNames: ['ev'] },
  { group: 'apps', version: 'v1', resource: 'deployments', singular: 'deployment', kind: 'Deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], subresources: ['status', 'scale'], generation: true },
  { group: 'apps', version: 'v1', resource: 'replicasets', singular: 'replicaset', kind: 'ReplicaSet', namespaced: true, shortNames: ['rs'], categories: ['all'], subresources: ['status', 'scale'], generation: true },
  { group: 'apps', version: 'v1', resource: 'statefulsets', singular: 'statefulset', kind: 'StatefulSet', namespaced: true, shortNames: ['sts'], categories: ['all'], subresources: ['status', 'scale'], generation: true },
  { group: 'apps', version: 'v1', resource: 'daemonsets', singular: 'daemonset', kind: 'DaemonSet', namespaced: true, shortNames: ['ds'], categories: ['all'], subresources: ['status'], generation: true },
];

export const verbsOf = (_rt: ResourceType): string[] => VERBS;

export const apiVersionOf = (rt: ResourceType): string => (rt.group === '' ? rt.version : `${rt.group}/${rt.version}`);

/** The store's key for a type: `apps/deployments`, `/pods`. */
export const keyOf = (rt: ResourceType): string => `${rt.group}/${rt.resource}`;

export function findResource(group: string, version: string, resource: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}

export function resourceByKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCES.find((r) => apiVersionOf(r) === apiVersion && r.kind === kind);
}

export function mustResource(group: string, resource: string): ResourceType {
  const rt = RESOURCES.find((r) => r.group === group && r.resource === resource);
  if (!rt) throw new Error(`unknown resource ${group}/${resource}`);
  return rt;
}

export const R = {
  namespaces: mustResource('', 'namespaces'),
  secrets: mustResource('', 'secrets'),
  services: mustResource('', 'services'),
  pods: mustResource('', 'pods'),
  deployments: mustResource('apps', 'deployments'),
  replicasets: mustResource('apps', 'replicasets'),
  statefulsets: mustResource('apps', 'statefulsets'),
  daemonsets: mustResource('apps', 'daemonsets'),
};

/** `deployments.apps`, as the API server names a resource in error messages. */
export const qualifiedName = (rt: ResourceType): string => (rt.group === '' ? rt.resource : `${rt.resource}.${rt.group}`);
