import { R } from '../kube/resources.js';
import type { Pod } from '../kube/types.js';
import type { Objects } from '../store/objects.js';
import { DeploymentController } from './deployment.js';
import { Kubelet, type KubeletOptions } from './kubelet.js';
import { controllerOf } from './owners.js';
import { WorkQueue } from './queue.js';
import { reconcileDaemonSet } from './daemonset.js';
import { reconcileReplicaSet } from './replicaset.js';
import { reconcileStatefulSet } from './statefulset.js';

export interface Controllers {
  kubelet: Kubelet;
  /** Runs all queued reconciliations now (seeding uses it to settle the cluster). */
  drain(): void;
  stop(): void;
}

/**
 * Wires the controllers to the store's events, the way informers drive the real ones:
 * Deployment, StatefulSet and DaemonSet changes queue that object, ReplicaSet changes queue the
 * ReplicaSet and its Deployment, Pod changes queue their owner. Reconcilers only write what differs, and the
 * store drops no-op writes, so the loop settles.
 */
export function startControllers(objects: Objects, kubeletOpts: KubeletOptions, onError: (err: unknown) => void): Controllers {
  const queue = new WorkQueue((_key, err) => onError(err));
  const kubelet = new Kubelet(objects, kubeletOpts);
  const queueDeployment = (ns: string, name: string): void => queue.add(`deploy:${ns}/${name}`, () => deployments.reconcile(ns, name));
  const queueReplicaSet = (ns: string, name: string): void => queue.add(`rs:${ns}/${name}`, () => reconcileReplicaSet(objects, kubelet, ns, name));
  const queueStatefulSet = (ns: string, name: string): void => queue.add(`sts:${ns}/${name}`, () => reconcileStatefulSet(objects, kubelet, ns, name));
  const queueDaemonSet = (ns: string, name: string): void => queue.add(`ds:${ns}/${name}`, () => reconcileDaemonSet(objects, kubelet, ns, name));
  const deployments = new DeploymentController(objects, queueDeployment);

  const unsubscribe = objects.store.subscribe((e) => {
    const ns = e.object.metadata.namespace ?? '';
    const owner = controllerOf(e.object);
    if (e.rt === R.deployments) queueDeployment(ns, e.object.metadata.name);
    else if (e.rt === R.statefulsets) queueStatefulSet(ns, e.object.metadata.name);
    else if (e.rt === R.daemonsets) queueDaemonSet(ns, e.object.metadata.name);
    else if (e.rt === R.replicasets) {
      queueReplicaSet(ns, e.object.metadata.name);
      if (owner?.kind === 'Deployment') queueDeployment(ns, owner.name);
    } else if (e.rt === R.pods) {
      if (e.type === 'ADDED') kubelet.track(e.object as Pod);
      if (owner?.kind === 'ReplicaSet') queueReplicaSet(ns, owner.name);
      else if (owner?.kind === 'StatefulSet') queueStatefulSet(ns, owner.name);
      else if (owner?.kind === 'DaemonSet') queueDaemonSet(ns, owner.name);
    }
  });

  return {
    kubelet,
    drain: () => queue.drain(),
    stop() {
      unsubscribe();
      queue.stop();
      kubelet.stop();
      deployments.stop();
    },
  };
}
