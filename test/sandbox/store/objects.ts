import { randomBytes } from 'node:crypto';
import type { Defaulter } from '../kube/defaults.js';
import { alreadyExists, ApiError, badRequest, invalid, notFound, unsupportedMediaType } from '../kube/errors.js';
import { canonical, clone, isObject } from '../kube/json.js';
import { apiVersionOf, R, RESOURCES, type ResourceType } from '../kube/resources.js';
import { matchesFields, matchesLabels, type Selector } from '../kube/selectors.js';
import type { KObject } from '../kube/types.js';
import { mergePatch } from '../patch/mergePatch.js';
import { strategicMerge } from '../patch/strategicMerge.js';
import type { Store } from './store.js';

export interface ListOptions {
  labelSelector?: Selector;
  fieldSelector?: Selector;
}

export interface WriteOptions {
  subresource?: string;
  /** `?dryRun=All`: validate and answer, but store nothing. */
  dryRun?: boolean;
}

export type PatchType = 'strategic' | 'merge' | 'apply';

export function patchTypeOf(contentType: string): PatchType {
  if (contentType.startsWith('application/strategic-merge-patch+json')) return 'strategic';
  if (contentType.startsWith('application/merge-patch+json')) return 'merge';
  if (contentType.startsWith('application/apply-patch+yaml') || contentType.startsWith('application/apply-patch+cbor')) return 'apply';
  throw unsupportedMediaType(contentType);
}

/** Same alphabet as k8s.io/apimachinery's rand.String: no vowels, no confusable digits. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(n = 5): string {
  return [...randomBytes(n)].map((b) => ALPHANUMS[b % ALPHANUMS.length]).join('');
}

/**
 * The API server's per-request semantics on top of the store: defaults, `metadata.generation`
 * bumped only on spec changes, `status` kept across writes of the main resource and written only
 * through `/status` (the deployment controller owns it), patches, and garbage collection of
 * owned objects on delete. Controllers use this same layer, so they see what clients see.
 */
export class Objects {
  constructor(
    readonly store: Store,
    private readonly defaulter: Defaulter,
  ) {}

  get(rt: ResourceType, ns: string | undefined, name: string): KObject {
    return this.store.mustGet(rt, ns, name);
  }

  find(rt: ResourceType, ns: string | undefined, name: string): KObject | undefined {
    return this.store.get(rt, ns, name);
  }

  list(rt: ResourceType, ns: string | undefined, opts: ListOptions = {}): KObject[] {
    return this.store
      .list(rt, ns)
      .filter((o) => matchesLabels(opts.labelSelector ?? [], o) && matchesFields(opts.fieldSelector ?? [], o));
  }

  private checkNamespace(rt: ResourceType, ns: string | undefined): void {
    if (!rt.namespaced || ns === undefined) return;
    if (!this.store.get(R.namespaces, undefined, ns)) throw notFound(R.namespaces, ns);
  }

  private normalise(rt: ResourceType, ns: string | undefined, obj: KObject): KObject {
    const o = clone(obj);
    if (!isObject(o.metadata)) throw invalid(`${rt.kind} has no metadata`);
    o.apiVersion = apiVersionOf(rt);
    o.kind = rt.kind;
    if (rt.namespaced) {
      if (o.metadata.namespace && ns && o.metadata.namespace !== ns) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      o.metadata.namespace = ns ?? o.metadata.namespace;
    } else delete o.metadata.namespace;
    return o;
  }

  create(rt: ResourceType, ns: string | undefined, obj: KObject, opts: WriteOptions = {}): KObject {
    this.checkNamespace(rt, ns);
    const o = this.normalise(rt, ns, obj);
    if (!o.metadata.name) {
      if (!o.metadata.generateName) throw invalid(`${rt.kind}: metadata.name or generateName is required`);
      o.metadata.name = o.metadata.generateName + randomSuffix();
    }
    delete o.metadata.resourceVersion;
    delete o.metadata.uid;
    if (rt.generation) o.metadata.generation = 1;
    // Status is the controllers' to write, except for the kinds whose status only describes
    // the spec (a Service's loadBalancer) and are defaulted below.
    if (rt.subresources?.includes('status') && rt !== R.pods) delete o.status;
    this.defaulter.apply(o);
    if (opts.dryRun) {
      if (this.store.get(rt, o.metadata.namespace, o.metadata.name)) throw alreadyExists(rt, o.metadata.name);
      return { ...o, metadata: { ...o.metadata, uid: 'dry-run', resourceVersion: String(this.store.currentRv()) } };
    }
    return this.store.create(rt, o);
  }

  /** PUT semantics; `opts.subresource === 'status'` replaces only `status`. */
  update(rt: ResourceType, ns: string | undefined, name: string, obj: KObject, opts: WriteOptions = {}): KObject {
    const old = this.get(rt, ns, name);
    const incoming = this.normalise(rt, ns, obj);
    if (incoming.metadata.name !== name) throw badRequest(`the name of the object (${incoming.metadata.name}) does not match the name on the URL (${name})`);
    let next: KObject;
    if (opts.subresource === 'status') {
      next = { ...old, status: incoming.status };
      if (incoming.metadata.resourceVersion) next.metadata.resourceVersion = incoming.metadata.resourceVersion;
    } else {
      next = incoming;
      next.metadata.generation = old.metadata.generation;
      if (rt.subresources?.includes('status') && old.status !== undefined) next.status = old.status;
      this.defaulter.carryOver(old, next);
      this.defaulter.apply(next);
      if (rt.generation && canonical(next.spec) !== canonical(old.spec)) next.metadata.generation = (old.metadata.generation ?? 0) + 1;
    }
    if (opts.dryRun) return next;
    return this.store.update(rt, next);
  }

  patch(rt: ResourceType, ns: string | undefined, name: string, type: PatchType, patch: unknown, opts: WriteOptions = {}): KObject {
    if (!isObject(patch)) throw badRequest('patch body must be a JSON object');
    const old = this.store.get(rt, ns, name);
    if (!old) {
      // Server-side apply creates what does not exist yet.
      if (type === 'apply') return this.create(rt, ns, patch as unknown as KObject, opts);
      throw notFound(rt, name);
    }
    // Server-side apply is approximated as a strategic merge of the applied configuration:
    // field ownership is not tracked, and managedFields are never returned (helm 4 would
    // otherwise send a migration patch).
    const merged = (type === 'merge' ? mergePatch(old, patch) : strategicMerge(old, patch)) as KObject;
    if (!isObject(merged.metadata)) throw invalid('patch removed metadata');
    merged.metadata.name = name;
    return this.update(rt, ns, name, merged, opts);
  }

  /** Deletes an object and, like the garbage collector, everything it owns (background). */
  delete(rt: ResourceType, ns: string | undefined, name: string, opts: WriteOptions = {}): KObject {
    const old = this.get(rt, ns, name);
    if (opts.dryRun) return old;
    const gone = this.store.delete(rt, ns, name);
    this.collectOrphans(gone.metadata.uid ?? '');
    return gone;
  }

  private collectOrphans(uid: string): void {
    for (const rt of RESOURCES) {
      for (const o of this.store.list(rt)) {
        if (o.metadata.ownerReferences?.some((r) => r.uid === uid)) {
          try {
            this.delete(rt, o.metadata.namespace, o.metadata.name);
          } catch (e) {
            if (!(e instanceof ApiError && e.code === 404)) throw e;
          }
        }
      }
    }
  }
}
