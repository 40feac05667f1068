import type { ServerResponse } from 'node:http';
import { ApiError } from '../kube/errors.js';
import { apiVersionOf, type ResourceType } from '../kube/resources.js';
import { matchesFields, matchesLabels, type Selector } from '../kube/selectors.js';
import type { KObject } from '../kube/types.js';
import type { Objects } from '../store/objects.js';
import type { StoreEvent } from '../store/store.js';

export interface WatchRequest {
  rt: ResourceType;
  namespace: string | undefined;
  labelSelector: Selector;
  fieldSelector: Selector;
  resourceVersion: string | null;
  sendInitialEvents: boolean;
  timeoutSeconds: number | undefined;
}

/**
 * A watch stream: 200, `Content-Type: application/json`, chunked, one
 * `{"type":...,"object":{...}}` per line, headers flushed at once.
 *
 * - List-then-watch (kubectl 1.31's reflector): `resourceVersion=RV` replays the event log
 *   after RV, then streams live events.
 * - Watch-list (kubectl 1.35 and helm 4): `sendInitialEvents=true&resourceVersionMatch=NotOlderThan`
 *   sends an ADDED per current object, then a BOOKMARK annotated
 *   `k8s.io/initial-events-end: "true"`; a client that never gets that bookmark hangs.
 * - No resourceVersion or "0": ADDED for the current state first, as the watch cache does.
 * Closes after `timeoutSeconds`, or when the client goes.
 */
export function serveWatch(objects: Objects, w: WatchRequest, res: ServerResponse, onEnd: (stop: () => void) => () => void): void {
  const wanted = (o: KObject): boolean =>
    (w.namespace === undefined || o.metadata.namespace === w.namespace) && matchesLabels(w.labelSelector, o) && matchesFields(w.fieldSelector, o);
  const write = (type: string, object: unknown): void => {
    res.write(JSON.stringify({ type, object }) + '\n');
  };

  let backlog: StoreEvent[] | undefined = [];
  const startRv = objects.store.currentRv();
  const rv = w.resourceVersion;
  const initial = w.sendInitialEvents || rv === null || rv === '' || rv === '0';
  if (!initial) {
    backlog = objects.store.eventsSince(w.rt, Number(rv));
  }

  res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked', 'Cache-Control': 'no-cache, private' });
  res.flushHeaders();

  if (backlog === undefined) {
    // The client's resourceVersion predates the log: 410 Gone makes the reflector relist.
    write('ERROR', new ApiError(410, 'Expired', `too old resource version: ${rv} (${startRv})`).toStatus());
    res.end();
    return;
  }
  if (initial) {
    for (const o of objects.list(w.rt, w.namespace, { labelSelector: w.labelSelector, fieldSelector: w.fieldSelector })) write('ADDED', o);
    if (w.sendInitialEvents) {
      write('BOOKMARK', {
        kind: w.rt.kind,
        apiVersion: apiVersionOf(w.rt),
        metadata: { resourceVersion: String(startRv), creationTimestamp: null, annotations: { 'k8s.io/initial-events-end': 'true' } },
      });
    }
  } else {
    for (const e of backlog) if (wanted(e.object)) write(e.type, e.object);
  }

  const unsubscribe = objects.store.subscribe((e) => {
    if (e.rt === w.rt && wanted(e.object)) write(e.type, e.object);
  });
  let timer: NodeJS.Timeout | undefined;
  const stop = (): void => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    unregister();
    if (!res.writableEnded) res.end();
  };
  const unregister = onEnd(stop);
  if (w.timeoutSeconds !== undefined && w.timeoutSeconds > 0) timer = setTimeout(stop, w.timeoutSeconds * 1000);
  res.on('close', stop);
}
