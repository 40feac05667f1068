import { clone } from '../kube/json.js';
import { R } from '../kube/resources.js';
import type { KObject, Pod, PodTemplateSpec } from '../kube/types.js';
import type { Objects } from '../store/objects.js';
import { NODE_NAME, type Kubelet } from './kubelet.js';
import { ownerReference } from './owners.js';

/** A Pod from its owner's template, owned by it, scheduled on the one node, with the kubelet's first status. */
export function createPod(objects: Objects, kubelet: Kubelet, owner: KObject, name: string, template: PodTemplateSpec, labels: Record<string, string> = {}): Pod {
  const ns = owner.metadata.namespace ?? '';
  const tpl = clone(template);
  const pod: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: ns,
      labels: { ...tpl.metadata?.labels, ...labels },
      ...(tpl.metadata?.annotations ? { annotations: tpl.metadata.annotations } : {}),
      ownerReferences: [ownerReference(owner)],
    },
    spec: { ...tpl.spec, nodeName: NODE_NAME },
  };
  pod.status = kubelet.initialStatus(pod);
  return objects.create(R.pods, ns, pod) as Pod;
}
