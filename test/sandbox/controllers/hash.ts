import { canonical, clone } from '../kube/json.js';
import type { PodTemplateSpec } from '../kube/types.js';

export const HASH_LABEL = 'pod-template-hash';

/** k8s.io/apimachinery rand.SafeEncodeString's alphabet: hashes never spell words. */
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of Buffer.from(s, 'utf8')) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The template without the `pod-template-hash` label, which the controller adds itself. */
export function templateWithoutHash(t: PodTemplateSpec): PodTemplateSpec {
  const c = clone(t);
  if (c.metadata?.labels) {
    delete c.metadata.labels[HASH_LABEL];
    if (Object.keys(c.metadata.labels).length === 0) delete c.metadata.labels;
  }
  return c;
}

/**
 * Like the deployment controller's ComputeHash (FNV-32a of the template, decimal, safe-encoded):
 * a stable name suffix such as `videokit-api-7c9f8d6b5`.
 */
export function templateHash(t: PodTemplateSpec): string {
  return [...String(fnv32a(canonical(templateWithoutHash(t))))].map((d) => ALPHANUMS[d.charCodeAt(0) % ALPHANUMS.length]).join('');
}

/**
 * The ReplicaSet a Deployment's current template maps to, compared as helm 3's waiter does
 * (deploymentutil.EqualIgnoreHash): equal templates apart from `pod-template-hash`.
 */
export function equalIgnoringHash(a: PodTemplateSpec, b: PodTemplateSpec): boolean {
  return canonical(templateWithoutHash(a)) === canonical(templateWithoutHash(b));
}
