import { canonical } from '../kube/json.js';
import { R } from '../kube/resources.js';
import type { Pod, StatefulSet } from '../kube/types.js';
import type { Objects } from '../store/objects.js';
import { templateHash } from './hash.js';
import { isPodReady, type Kubelet } from './kubelet.js';
import { isControlledBy } from './owners.js';
import { createPod } from './pods.js';

/** The label the StatefulSet and DaemonSet controllers put on each Pod: the revision it was made from. */
export const REVISION_HASH_LABEL = 'controller-revision-hash';

/**
 * A simplified StatefulSet controller: Pods `<name>-0` … `<name>-(replicas-1)`, each labelled
 * with its revision (`<name>-<template hash>`). With RollingUpdate a Pod of an older revision
 * is replaced at once (the real controller goes one ordinal at a time, highest first); with
 * OnDelete it stays until someone deletes it. Status carries what kubectl rollout status,
 * helm 3's waiter and helm 4's kstatus read: observedGeneration, replicas, ready, current
 * and updated counts, and currentRevision, which becomes updateRevision once every Pod is of
 * it and Ready.
 */
export function reconcileStatefulSet(objects: Objects, kubelet: Kubelet, ns: string, name: string): void {
  const sts = objects.find(R.statefulsets, ns, name) as StatefulSet | undefined;
  if (!sts) return;
  const updateRevision = `${name}-${templateHash(sts.spec.template)}`;
  const onDelete = sts.spec.updateStrategy.type === 'OnDelete';
  const owned = () => (objects.list(R.pods, ns) as Pod[]).filter((p) => isControlledBy(p, sts));
  for (const pod of owned()) {
    const ordinal = Number(pod.metadata.name.slice(name.length + 1));
    const outdated = !onDelete && pod.metadata.labels?.[REVISION_HASH_LABEL] !== updateRevision;
    if (ordinal >= sts.spec.replicas || outdated) objects.delete(R.pods, ns, pod.metadata.name);
  }
  for (let ordinal = 0; ordinal < sts.spec.replicas; ordinal++) {
    const podName = `${name}-${ordinal}`;
    if (objects.find(R.pods, ns, podName)) continue;
    createPod(objects, kubelet, sts, podName, sts.spec.template, { [REVISION_HASH_LABEL]: updateRevision, 'statefulset.kubernetes.io/pod-name': podName });
  }
  const pods = owned();
  const ready = pods.filter(isPodReady).length;
  const updated = pods.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === updateRevision).length;
  const settled = updated === sts.spec.replicas && ready === sts.spec.replicas;
  const currentRevision = settled ? updateRevision : (sts.status?.currentRevision ?? updateRevision);
  const current = pods.filter((p) => p.metadata.labels?.[REVISION_HASH_LABEL] === currentRevision).length;
  // The JSON of the real status omits zero counts (omitempty); clients default them to 0.
  const status: NonNullable<StatefulSet['status']> = {
    observedGeneration: sts.metadata.generation ?? 1,
    replicas: pods.length,
    ...(ready ? { readyReplicas: ready, availableReplicas: ready } : {}),
    ...(current ? { currentReplicas: current } : {}),
    ...(updated ? { updatedReplicas: updated } : {}),
    currentRevision,
    updateRevision,
    collisionCount: 0,
  };
  if (canonical(status) !== canonical(sts.status)) objects.update(R.statefulsets, ns, name, { ...sts, status }, { subresource: 'status' });
}
