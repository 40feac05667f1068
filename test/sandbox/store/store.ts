import { randomUUID } from 'node:crypto';
import { alreadyExists, conflict, notFound } from '../kube/errors.js';
import { canonical, clone, rfc3339 } from '../kube/json.js';
import { keyOf, type ResourceType } from '../kube/resources.js';
import type { KObject } from '../kube/types.js';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  type: EventType;
  rt: ResourceType;
  object: KObject;
}

/**
 * All objects, one global resourceVersion counter and an event log. Watches replay the log
 * after the resourceVersion a client listed at (client-go's list-then-watch), so every write
 * gets a fresh resourceVersion and one event. A write that changes nothing is dropped without
 * an event, as the API server does: it keeps controllers that write on every pass from
 * re-triggering themselves forever.
 */
export class Store {
  private rv = 0;
  private readonly objects = new Map<string, Map<string, KObject>>();
  private readonly log: StoreEvent[] = [];
  private readonly listeners = new Set<(e: StoreEvent) => void>();
  /** Events kept for watch replay; an older resourceVersion gets 410 Gone. */
  private readonly maxLog = 50_000;

  currentRv(): number {
    return this.rv;
  }

  private bucket(rt: ResourceType): Map<string, KObject> {
    const key = keyOf(rt);
    let b = this.objects.get(key);
    if (!b) this.objects.set(key, (b = new Map()));
    return b;
  }

  private static id(ns: string | undefined, name: string): string {
    return `${ns ?? ''}/${name}`;
  }

  get(rt: ResourceType, ns: string | undefined, name: string): KObject | undefined {
    return clone(this.bucket(rt).get(Store.id(ns, name)));
  }

  mustGet(rt: ResourceType, ns: string | undefined, name: string): KObject {
    const o = this.get(rt, ns, name);
    if (!o) throw notFound(rt, name);
    return o;
  }

  /** Objects of a type, in one namespace or all; sorted by name like the API server's etcd keys. */
  list(rt: ResourceType, ns?: string): KObject[] {
    return [...this.bucket(rt).values()]
      .filter((o) => ns === undefined || o.metadata.namespace === ns)
      .sort((a, b) => ((a.metadata.namespace ?? '') + '/' + a.metadata.name < (b.metadata.namespace ?? '') + '/' + b.metadata.name ? -1 : 1))
      .map((o) => clone(o));
  }

  create(rt: ResourceType, obj: KObject): KObject {
    const b = this.bucket(rt);
    const id = Store.id(obj.metadata.namespace, obj.metadata.name);
    if (b.has(id)) throw alreadyExists(rt, obj.metadata.name);
    const stored = clone(obj);
    stored.metadata.uid ??= randomUUID();
    stored.metadata.creationTimestamp ??= rfc3339();
    stored.metadata.resourceVersion = String(++this.rv);
    delete stored.metadata.managedFields;
    b.set(id, stored);
    this.emit('ADDED', rt, stored);
    return clone(stored);
  }

  /**
   * Replaces an object. A resourceVersion in `obj` must match (optimistic concurrency); none
   * means unconditional, which helm relies on for its release Secret updates.
   */
  update(rt: ResourceType, obj: KObject): KObject {
    const b = this.bucket(rt);
    const id = Store.id(obj.metadata.namespace, obj.metadata.name);
    const old = b.get(id);
    if (!old) throw notFound(rt, obj.metadata.name);
    const rv = obj.metadata.resourceVersion;
    if (rv !== undefined && rv !== '' && rv !== old.metadata.resourceVersion) throw conflict(rt, obj.metadata.name);
    const next = clone(obj);
    next.metadata.uid = old.metadata.uid;
    next.metadata.creationTimestamp = old.metadata.creationTimestamp;
    next.metadata.resourceVersion = old.metadata.resourceVersion;
    delete next.metadata.managedFields;
    if (canonical(next) === canonical(old)) return clone(old);
    next.metadata.resourceVersion = String(++this.rv);
    b.set(id, next);
    this.emit('MODIFIED', rt, next);
    return clone(next);
  }

  delete(rt: ResourceType, ns: string | undefined, name: string): KObject {
    const b = this.bucket(rt);
    const id = Store.id(ns, name);
    const old = b.get(id);
    if (!old) throw notFound(rt, name);
    b.delete(id);
    const gone = { ...clone(old), metadata: { ...clone(old.metadata), resourceVersion: String(++this.rv) } };
    this.emit('DELETED', rt, gone);
    return clone(gone);
  }

  /** Events after `rv` for a type, or undefined when the log no longer reaches back that far. */
  eventsSince(rt: ResourceType, rv: number): StoreEvent[] | undefined {
    const first = this.log[0];
    if (first && rv < first.rv - 1) return undefined;
    return this.log.filter((e) => e.rv > rv && e.rt === rt).map((e) => ({ ...e, object: clone(e.object) }));
  }

  subscribe(fn: (e: StoreEvent) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(type: EventType, rt: ResourceType, object: KObject): void {
    const e: StoreEvent = { rv: this.rv, type, rt, object: clone(object) };
    this.log.push(e);
    if (this.log.length > this.maxLog) this.log.splice(0, this.log.length - this.maxLog);
    for (const fn of [...this.listeners]) fn({ ...e, object: clone(e.object) });
  }
}
