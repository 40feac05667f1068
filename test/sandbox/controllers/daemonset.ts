import { canonical } from '../kube/json.js';
import { R } from '../kube/resources.js';
import type { DaemonSet, Pod } from '../kube/types.js';
import { randomSuffix, type Objects } from '../store/objects.js';
import { templateHash } from './hash.js';
import { isPodReady, type Kubelet } from './kubelet.js';
import { isControlledBy } from './owners.js';
import { createPod } from './pods.js';
import { REVISION_HASH_LABEL } from './statefulset.js';

/**
 * A simplified DaemonSet controller for the sandbox's one node: one Pod `<name>-<5 chars>`,
 * labelled with its template hash. With RollingUpdate a Pod of an older template is replaced;
 * with OnDelete it stays. Status carries what kubectl rollout status (observedGeneration,
 * updatedNumberScheduled and numberAvailable against desiredNumberScheduled), helm 3's waiter
 * (numberReady) and kstatus (current, updated, available, ready) read.
 */
export function reconcileDaemonSet(objects: Objects, kubelet: Kubelet, ns: string, name: string): void {
  const ds = objects.find(R.daemonsets, ns, name) as DaemonSet | undefined;
  if (!ds) return;
  const hash = templateHash(ds.spec.template);
  const onDelete = ds.spec.updateStrategy.type === 'OnDelete';
  const owned = () => (objects.list(R.pods, ns) as Pod[]).filter((p) => isControlledBy(p, ds));
  const [keep, ...extra] = owned();
  for (const pod of extra) objects.delete(R.pods, ns, pod.metadata.name);
  if (keep && !onDelete && keep.metadata.labels?.[REVISION_HASH_LABEL] !== hash) objects.delete(R.pods, ns, keep.metadata.name);
  if (owned().length === 0) createPod(objects, kubelet, ds, `${name}-${randomSuffix()}`, ds.spec.template, { [REVISION_HASH_LABEL]: hash });
  const pods = owned();
  const ready = pods.filter(isPodReady).length;
  const updated = pods.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === hash).length;
  const status: NonNullable<DaemonSet['status']> = {
    observedGeneration: ds.metadata.generation ?? 1,
    currentNumberScheduled: pods.length,
    desiredNumberScheduled: 1,
    numberMisscheduled: 0,
    numberReady: ready,
    ...(ready ? { numberAvailable: ready } : {}),
    ...(ready < 1 ? { numberUnavailable: 1 - ready } : {}),
    ...(updated ? { updatedNumberScheduled: updated } : {}),
  };
  if (canonical(status) !== canonical(ds.status)) objects.update(R.daemonsets, ns, name, { ...ds, status }, { subresource: 'status' });
}
