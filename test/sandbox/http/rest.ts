import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, methodNotAllowed } from '../kube/errors.js';
import { isObject } from '../kube/json.js';
import { apiVersionOf, qualifiedName, type ResourceType } from '../kube/resources.js';
import { formatLabelSelector, parseSelector, type Selector } from '../kube/selectors.js';
import type { Deployment, KObject } from '../kube/types.js';
import { patchTypeOf, type Objects } from '../store/objects.js';
import { asObject, parseBody } from './body.js';
import { toTable, wantsTable } from './tables.js';
import { serveWatch } from './watch.js';

export interface ResourceRequest {
  rt: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

export type Reply = { code: number; body: unknown } | { streaming: true };

export interface RestDeps {
  objects: Objects;
  /** Registers a long-lived watch so the server can end it on stop or go-away. */
  trackWatch(stop: () => void): () => void;
}

function selectors(q: URLSearchParams, name: string | undefined): { labelSelector: Selector; fieldSelector: Selector } {
  const fieldSelector = parseSelector(q.get('fieldSelector'));
  // A watch on a named URL is the deprecated spelling of fieldSelector=metadata.name=NAME.
  if (name !== undefined) fieldSelector.push({ key: 'metadata.name', op: 'eq', value: name });
  return { labelSelector: parseSelector(q.get('labelSelector')), fieldSelector };
}

const isDryRun = (q: URLSearchParams): boolean => q.getAll('dryRun').includes('All');

function success(rt: ResourceType, o: KObject): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Success',
    details: { name: o.metadata.name, group: rt.group, kind: rt.resource, uid: o.metadata.uid },
  };
}

/** autoscaling/v1 Scale for `/scale` (kubectl scale). */
function scaleOf(o: KObject): Record<string, unknown> {
  const d = o as Deployment;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name: o.metadata.name, namespace: o.metadata.namespace, uid: o.metadata.uid, resourceVersion: o.metadata.resourceVersion, creationTimestamp: o.metadata.creationTimestamp },
    spec: { replicas: d.spec.replicas },
    status: { replicas: d.status?.replicas ?? 0, selector: formatLabelSelector(d.spec.selector) },
  };
}

function handleScale(deps: RestDeps, r: ResourceRequest & { name: string }, method: string, body: unknown, contentType: string): Reply {
  const cur = deps.objects.get(r.rt, r.namespace, r.name);
  if (method === 'GET') return { code: 200, body: scaleOf(cur) };
  let replicas: unknown;
  if (method === 'PUT') replicas = isObject(body) && isObject(body.spec) ? body.spec.replicas : undefined;
  else if (method === 'PATCH') {
    patchTypeOf(contentType);
    replicas = isObject(body) && isObject(body.spec) ? body.spec.replicas : undefined;
  } else throw methodNotAllowed(method);
  if (typeof replicas !== 'number') throw badRequest('scale needs spec.replicas');
  const next = deps.objects.update(r.rt, r.namespace, r.name, { ...cur, spec: { ...(cur.spec as object), replicas } });
  return { code: 200, body: scaleOf(next) };
}

/** GET (get, list, watch), POST, PUT, PATCH and DELETE on one resource type. */
export function handleResource(deps: RestDeps, r: ResourceRequest, req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): Reply {
  const { objects } = deps;
  const q = url.searchParams;
  const method = req.method ?? 'GET';
  const contentType = req.headers['content-type'] ?? '';
  const accept = req.headers.accept ?? '';
  const body = parseBody(raw, contentType);
  const dryRun = isDryRun(q);
  const { rt, namespace: ns, name, subresource } = r;

  if (subresource !== undefined && subresource !== 'status' && subresource !== 'scale') {
    throw new ApiError(404, 'NotFound', `the server could not find the requested resource (${method} ${qualifiedName(rt)} ${name ?? ''}/${subresource})`);
  }
  if (subresource === 'scale' && name !== undefined) return handleScale(deps, { ...r, name }, method, body, contentType);

  if (method === 'GET') {
    const watch = q.get('watch');
    if (watch === 'true' || watch === '1') {
      const timeout = q.get('timeoutSeconds');
      serveWatch(
        objects,
        {
          rt,
          namespace: ns,
          ...selectors(q, name),
          resourceVersion: q.get('resourceVersion'),
          sendInitialEvents: q.get('sendInitialEvents') === 'true',
          timeoutSeconds: timeout === null ? undefined : Number(timeout),
        },
        res,
        deps.trackWatch,
      );
      return { streaming: true };
    }
    if (name !== undefined) {
      const o = objects.get(rt, ns, name);
      return { code: 200, body: wantsTable(accept) ? toTable(rt.kind, [o], o.metadata.resourceVersion ?? '', accept, q.get('includeObject')) : o };
    }
    // Every list is answered whole and consistent at the current resourceVersion: `limit` is
    // honoured by returning everything without a `continue` token, which clients accept.
    const items = objects.list(rt, ns, selectors(q, undefined));
    const rv = String(objects.store.currentRv());
    if (wantsTable(accept)) return { code: 200, body: toTable(rt.kind, items, rv, accept, q.get('includeObject')) };
    return { code: 200, body: { kind: `${rt.kind}List`, apiVersion: apiVersionOf(rt), metadata: { resourceVersion: rv }, items } };
  }

  if (method === 'POST') {
    if (name !== undefined) throw methodNotAllowed(method);
    return { code: dryRun ? 200 : 201, body: objects.create(rt, ns, asObject(body), { dryRun }) };
  }

  if (name === undefined) {
    if (method !== 'DELETE') throw methodNotAllowed(method);
    const doomed = objects.list(rt, ns, selectors(q, undefined));
    for (const o of doomed) objects.delete(rt, o.metadata.namespace, o.metadata.name, { dryRun });
    return { code: 200, body: { kind: `${rt.kind}List`, apiVersion: apiVersionOf(rt), metadata: { resourceVersion: String(objects.store.currentRv()) }, items: doomed } };
  }

  const opts = { dryRun, ...(subresource === undefined ? {} : { subresource }) };
  switch (method) {
    case 'PUT':
      return { code: 200, body: objects.update(rt, ns, name, asObject(body), opts) };
    case 'PATCH': {
      const type = patchTypeOf(contentType);
      const existed = objects.find(rt, ns, name) !== undefined;
      const out = objects.patch(rt, ns, name, type, body, opts);
      return { code: existed ? 200 : 201, body: out };
    }
    case 'DELETE':
      return { code: 200, body: success(rt, objects.delete(rt, ns, name, opts)) };
    default:
      throw methodNotAllowed(method);
  }
}
