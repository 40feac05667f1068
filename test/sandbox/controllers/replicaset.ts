import { canonical } from '../kube/json.js';
import { R } from '../kube/resources.js';
import type { Pod, ReplicaSet, ReplicaSetStatus } from '../kube/types.js';
import { randomSuffix, type Objects } from '../store/objects.js';
import { isPodReady, type Kubelet } from './kubelet.js';
import { isControlledBy } from './owners.js';
import { createPod } from './pods.js';

/**
 * Keeps `spec.replicas` pods per ReplicaSet (named `<rs>-<5 chars>`, owned by it) and writes
 * its status with `observedGeneration`, which helm 3's waiter compares with the generation.
 * Scaled-down pods go at once: there is no graceful termination to emulate.
 */
export function reconcileReplicaSet(objects: Objects, kubelet: Kubelet, ns: string, name: string): void {
  const rs = objects.find(R.replicasets, ns, name) as ReplicaSet | undefined;
  if (!rs) return;
  let pods = (objects.list(R.pods, ns) as Pod[]).filter((p) => isControlledBy(p, rs));
  const want = rs.spec.replicas;
  for (let i = pods.length; i < want; i++) createPod(objects, kubelet, rs, `${name}-${randomSuffix()}`, rs.spec.template);
  if (pods.length > want) {
    // Unready pods go first, then the newest, as the ReplicaSet controller ranks them.
    const doomed = [...pods]
      .sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)) || (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''))
      .slice(0, pods.length - want);
    for (const p of doomed) objects.delete(R.pods, ns, p.metadata.name);
  }
  pods = (objects.list(R.pods, ns) as Pod[]).filter((p) => isControlledBy(p, rs));
  const ready = pods.filter(isPodReady).length;
  const status: ReplicaSetStatus = {
    replicas: pods.length,
    ...(pods.length ? { fullyLabeledReplicas: pods.length } : {}),
    ...(ready ? { readyReplicas: ready, availableReplicas: ready } : {}),
    observedGeneration: rs.metadata.generation ?? 1,
  };
  if (canonical(status) !== canonical(rs.status)) objects.update(R.replicasets, ns, name, { ...rs, status }, { subresource: 'status' });
}
