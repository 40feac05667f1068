import type { KObject, OwnerReference } from '../kube/types.js';

export function controllerOf(o: KObject): OwnerReference | undefined {
  return o.metadata.ownerReferences?.find((r) => r.controller === true);
}

export const isControlledBy = (o: KObject, owner: KObject): boolean => controllerOf(o)?.uid === owner.metadata.uid;

export function ownerReference(owner: KObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}
