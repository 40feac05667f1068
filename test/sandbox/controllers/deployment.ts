import { canonical, clone, rfc3339 } from '../kube/json.js';
import { R } from '../kube/resources.js';
import type { Condition, Deployment, DeploymentStatus, ReplicaSet } from '../kube/types.js';
import type { Objects } from '../store/objects.js';
import { equalIgnoringHash, HASH_LABEL, templateHash } from './hash.js';
import { isControlledBy, ownerReference } from './owners.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

const revisionOf = (rs: ReplicaSet): number => Number(rs.metadata.annotations?.[REVISION_ANNOTATION] ?? 0);

/** intstr resolution as in deploymentutil.ResolveFenceposts: maxUnavailable rounds down. */
export function maxUnavailable(d: Deployment): number {
  const replicas = d.spec.replicas;
  if (d.spec.strategy.type !== 'RollingUpdate' || replicas === 0) return 0;
  const v = d.spec.strategy.rollingUpdate?.maxUnavailable ?? '25%';
  const n = typeof v === 'number' ? v : v.endsWith('%') ? Math.floor((replicas * Number(v.slice(0, -1))) / 100) : Number(v);
  return Math.min(n, replicas);
}

interface Progress {
  rs: string;
  signature: string;
  since: number;
}

/**
 * A simplified deployment controller. On each pass it finds the owned ReplicaSet whose template
 * equals the Deployment's (ignoring `pod-template-hash`) or creates `<name>-<hash>`; a rollback
 * to an earlier template reuses that ReplicaSet and bumps its revision, as the real controller
 * does, rather than colliding on its name. The new ReplicaSet is scaled to `spec.replicas` at
 * once and the old ones to 0 once it is fully available (maxSurge=100%, maxUnavailable=0 in
 * effect). Status carries what the three clients read: `observedGeneration`, the replica
 * counts, and the `Available`/`Progressing` conditions, including `ProgressDeadlineExceeded`
 * once nothing changed for `progressDeadlineSeconds` (kubectl rollout status and kstatus fail
 * on that reason).
 */
export class DeploymentController {
  private readonly progress = new Map<string, Progress>();
  private readonly deadlines = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly objects: Objects,
    private readonly requeue: (ns: string, name: string) => void,
  ) {}

  reconcile(ns: string, name: string): void {
    const d = this.objects.find(R.deployments, ns, name) as Deployment | undefined;
    if (!d) return;
    const owned = (this.objects.list(R.replicasets, ns) as ReplicaSet[]).filter((rs) => isControlledBy(rs, d));
    const newRs = this.syncNewReplicaSet(d, owned);
    const old = owned.filter((rs) => rs.metadata.uid !== newRs.metadata.uid);
    const done =
      (newRs.status?.observedGeneration ?? 0) >= (newRs.metadata.generation ?? 1) &&
      newRs.status?.replicas === d.spec.replicas &&
      (newRs.status?.availableReplicas ?? 0) >= d.spec.replicas;
    if (done) {
      for (const rs of old) if (rs.spec.replicas !== 0) this.objects.update(R.replicasets, ns, rs.metadata.name, { ...rs, spec: { ...rs.spec, replicas: 0 } });
    }
    this.pruneHistory(d, old);
    const rev = newRs.metadata.annotations?.[REVISION_ANNOTATION] ?? '1';
    if (d.metadata.annotations?.[REVISION_ANNOTATION] !== rev) {
      d.metadata.annotations = { ...d.metadata.annotations, [REVISION_ANNOTATION]: rev };
      this.objects.update(R.deployments, ns, name, d);
    }
    this.writeStatus(ns, name, newRs, old);
  }

  private syncNewReplicaSet(d: Deployment, owned: ReplicaSet[]): ReplicaSet {
    const ns = d.metadata.namespace ?? '';
    const maxRev = Math.max(0, ...owned.map(revisionOf));
    const existing = owned.find((rs) => equalIgnoringHash(rs.spec.template, d.spec.template));
    if (existing) {
      const next = clone(existing);
      if (revisionOf(existing) < maxRev) next.metadata.annotations = { ...next.metadata.annotations, [REVISION_ANNOTATION]: String(maxRev + 1) };
      next.spec.replicas = d.spec.replicas;
      return canonical(next) === canonical(existing) ? existing : (this.objects.update(R.replicasets, ns, next.metadata.name, next) as ReplicaSet);
    }
    const hash = templateHash(d.spec.template);
    const template = clone(d.spec.template);
    template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, [HASH_LABEL]: hash } };
    let rsName = `${d.metadata.name}-${hash}`;
    // A name taken by a ReplicaSet with another template: the real controller bumps
    // status.collisionCount and rehashes; a suffix is enough here.
    for (let n = 1; this.objects.find(R.replicasets, ns, rsName); n++) rsName = `${d.metadata.name}-${hash}${n}`;
    const rs: ReplicaSet = {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: rsName,
        namespace: ns,
        labels: { ...template.metadata.labels },
        annotations: {
          [REVISION_ANNOTATION]: String(maxRev + 1),
          'deployment.kubernetes.io/desired-replicas': String(d.spec.replicas),
        },
        ownerReferences: [ownerReference(d)],
      },
      spec: {
        replicas: d.spec.replicas,
        selector: { ...d.spec.selector, matchLabels: { ...d.spec.selector.matchLabels, [HASH_LABEL]: hash } },
        template,
      },
    };
    return this.objects.create(R.replicasets, ns, rs) as ReplicaSet;
  }

  /** Deletes scaled-down ReplicaSets beyond `revisionHistoryLimit`, oldest revision first. */
  private pruneHistory(d: Deployment, old: ReplicaSet[]): void {
    const idle = old.filter((rs) => rs.spec.replicas === 0 && (rs.status?.replicas ?? 0) === 0).sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - d.spec.revisionHistoryLimit))) {
      this.objects.delete(R.replicasets, rs.metadata.namespace, rs.metadata.name);
    }
  }

  private writeStatus(ns: string, name: string, newRs: ReplicaSet, old: ReplicaSet[]): void {
    const d = this.objects.find(R.deployments, ns, name) as Deployment | undefined;
    if (!d) return;
    const all = [newRs, ...old].map((rs) => (this.objects.find(R.replicasets, ns, rs.metadata.name) as ReplicaSet | undefined) ?? rs);
    const cur = all[0]!;
    const sum = (f: (rs: ReplicaSet) => number | undefined): number => all.reduce((n, rs) => n + (f(rs) ?? 0), 0);
    const want = d.spec.replicas;
    const replicas = sum((rs) => rs.status?.replicas);
    const updated = cur.status?.replicas ?? 0;
    const ready = sum((rs) => rs.status?.readyReplicas);
    const available = sum((rs) => rs.status?.availableReplicas);
    const unavailable = Math.max(0, sum((rs) => rs.spec.replicas) - available);
    const complete = updated === want && replicas === want && available >= want;

    const uid = d.metadata.uid ?? '';
    const signature = canonical({ generation: d.metadata.generation, replicas, updated, ready, available });
    let p = this.progress.get(uid);
    if (!p || p.rs !== cur.metadata.name || p.signature !== signature) this.progress.set(uid, (p = { rs: cur.metadata.name, signature, since: Date.now() }));
    const deadlineMs = d.spec.progressDeadlineSeconds * 1000;
    const rsRef = `ReplicaSet "${cur.metadata.name}"`;
    let progressing: Omit<Condition, 'lastUpdateTime' | 'lastTransitionTime'>;
    this.clearDeadline(uid);
    if (complete) progressing = { type: 'Progressing', status: 'True', reason: 'NewReplicaSetAvailable', message: `${rsRef} has successfully progressed.` };
    else if (Date.now() - p.since >= deadlineMs) progressing = { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: `${rsRef} has timed out progressing.` };
    else {
      progressing = { type: 'Progressing', status: 'True', reason: 'ReplicaSetUpdated', message: `${rsRef} is progressing.` };
      this.scheduleDeadline(uid, ns, name, p.since + deadlineMs - Date.now());
    }
    const isAvailable = available >= want - maxUnavailable(d);
    const availableCond = isAvailable
      ? { type: 'Available', status: 'True' as const, reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False' as const, reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' };
    const prev = d.status?.conditions ?? [];
    // The JSON of the real status omits zero counts (omitempty); clients default them to 0.
    const status: DeploymentStatus = {
      observedGeneration: d.metadata.generation ?? 1,
      ...(replicas ? { replicas } : {}),
      ...(updated ? { updatedReplicas: updated } : {}),
      ...(ready ? { readyReplicas: ready } : {}),
      ...(available ? { availableReplicas: available } : {}),
      ...(unavailable ? { unavailableReplicas: unavailable } : {}),
      conditions: [withTimes(availableCond, prev), withTimes(progressing, prev)],
    };
    if (canonical(status) !== canonical(d.status)) this.objects.update(R.deployments, ns, name, { ...d, status }, { subresource: 'status' });
  }

  private scheduleDeadline(uid: string, ns: string, name: string, inMs: number): void {
    const t = setTimeout(() => {
      this.deadlines.delete(uid);
      this.requeue(ns, name);
    }, Math.max(0, inMs) + 5);
    this.deadlines.set(uid, t);
  }

  private clearDeadline(uid: string): void {
    const t = this.deadlines.get(uid);
    if (t) clearTimeout(t);
    this.deadlines.delete(uid);
  }

  stop(): void {
    for (const t of this.deadlines.values()) clearTimeout(t);
    this.deadlines.clear();
  }
}

/** Keeps a condition's timestamps while it says the same thing, as the controller does. */
function withTimes(c: Omit<Condition, 'lastUpdateTime' | 'lastTransitionTime'>, prev: Condition[]): Condition {
  const p = prev.find((x) => x.type === c.type);
  const now = rfc3339();
  if (p && p.status === c.status && p.reason === c.reason && p.message === c.message) return { ...c, lastUpdateTime: p.lastUpdateTime ?? now, lastTransitionTime: p.lastTransitionTime ?? now };
  return { ...c, lastUpdateTime: now, lastTransitionTime: p && p.status === c.status ? (p.lastTransitionTime ?? now) : now };
}
