import { isObject, type JsonObject } from './json.js';
import type { KObject } from './types.js';

/**
 * Server-side defaults the real API server fills in and the clients dereference: helm 3's
 * waiter reads `*spec.replicas` and `spec.strategy.rollingUpdate.maxUnavailable` without nil
 * checks, and it waits for a Service until `spec.clusterIP` is non-empty. Every function is
 * idempotent because it runs again after each update or patch.
 */

function setDefault(o: JsonObject, key: string, value: unknown): void {
  if (o[key] === undefined || o[key] === null) o[key] = value;
}

function defaultContainer(c: unknown): void {
  if (!isObject(c)) return;
  setDefault(c, 'imagePullPolicy', typeof c.image === 'string' && c.image.endsWith(':latest') ? 'Always' : 'IfNotPresent');
  setDefault(c, 'terminationMessagePath', '/dev/termination-log');
  setDefault(c, 'terminationMessagePolicy', 'File');
  setDefault(c, 'resources', {});
  if (Array.isArray(c.ports)) for (const p of c.ports) if (isObject(p)) setDefault(p, 'protocol', 'TCP');
}

export function defaultPodSpec(spec: unknown): void {
  if (!isObject(spec)) return;
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const list of ['containers', 'initContainers']) {
    const cs = spec[list];
    if (Array.isArray(cs)) cs.forEach(defaultContainer);
  }
}

/** A strategy defaulted to RollingUpdate, its `rollingUpdate` fields filled in when that is the type. */
function defaultStrategy(spec: JsonObject, key: 'strategy' | 'updateStrategy', rollingUpdate: JsonObject): void {
  setDefault(spec, key, {});
  const strategy = spec[key] as JsonObject;
  setDefault(strategy, 'type', 'RollingUpdate');
  if (strategy.type !== 'RollingUpdate') return;
  setDefault(strategy, 'rollingUpdate', {});
  for (const [field, value] of Object.entries(rollingUpdate)) setDefault(strategy.rollingUpdate as JsonObject, field, value);
}

function defaultWorkload(spec: JsonObject): void {
  const tpl = spec.template;
  if (isObject(tpl)) {
    setDefault(tpl, 'metadata', {});
    defaultPodSpec(tpl.spec);
  }
}

function defaultDeployment(obj: KObject): void {
  const spec = isObject(obj.spec) ? obj.spec : (obj.spec = {});
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'revisionHistoryLimit', 10);
  setDefault(spec, 'progressDeadlineSeconds', 600);
  defaultStrategy(spec, 'strategy', { maxUnavailable: '25%', maxSurge: '25%' });
  defaultWorkload(spec);
}

function defaultReplicaSet(obj: KObject): void {
  const spec = isObject(obj.spec) ? obj.spec : (obj.spec = {});
  setDefault(spec, 'replicas', 1);
  defaultWorkload(spec);
}

/**
 * apps/v1 defaults (SetDefaults_StatefulSet, SetDefaults_DaemonSet): RollingUpdate with
 * partition 0, or maxUnavailable 1 / maxSurge 0. kubectl rollout status reads the strategy
 * type and helm 3's waiter dereferences the DaemonSet's maxUnavailable.
 */
function defaultStatefulSet(obj: KObject): void {
  const spec = isObject(obj.spec) ? obj.spec : (obj.spec = {});
  setDefault(spec, 'replicas', 1);
  setDefault(spec, 'podManagementPolicy', 'OrderedReady');
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultStrategy(spec, 'updateStrategy', { partition: 0 });
  defaultWorkload(spec);
}

function defaultDaemonSet(obj: KObject): void {
  const spec = isObject(obj.spec) ? obj.spec : (obj.spec = {});
  setDefault(spec, 'revisionHistoryLimit', 10);
  defaultStrategy(spec, 'updateStrategy', { maxUnavailable: 1, maxSurge: 0 });
  defaultWorkload(spec);
}

function defaultService(obj: KObject, allocateIp: () => string): void {
  const spec = isObject(obj.spec) ? obj.spec : (obj.spec = {});
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  if (spec.type !== 'ExternalName') {
    if (!spec.clusterIP) spec.clusterIP = allocateIp();
    setDefault(spec, 'clusterIPs', [spec.clusterIP]);
    setDefault(spec, 'ipFamilies', ['IPv4']);
    setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (Array.isArray(spec.ports)) {
    for (const p of spec.ports) {
      if (!isObject(p)) continue;
      setDefault(p, 'protocol', 'TCP');
      setDefault(p, 'targetPort', p.port);
    }
  }
  setDefault(obj, 'status', { loadBalancer: {} });
}

export interface Defaulter {
  apply(obj: KObject): void;
  /** Before `apply` on an update: keeps what the server allocated when the new copy omits it. */
  carryOver(old: KObject, next: KObject): void;
}

/** Defaults by kind; Services get cluster IPs from 10.96.0.0/16 like a kubeadm cluster. */
export function createDefaulter(): Defaulter {
  let nextIp = 10;
  const allocateIp = (): string => {
    const n = nextIp++;
    return `10.96.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  };
  return {
    carryOver(old, next) {
      // A Service's cluster IP is allocated once; an update (helm's or a PUT) without one keeps it.
      if (next.kind === 'Service' && isObject(old.spec) && isObject(next.spec) && !next.spec.clusterIP) {
        next.spec.clusterIP = old.spec.clusterIP;
        if (old.spec.clusterIPs !== undefined) next.spec.clusterIPs ??= old.spec.clusterIPs;
      }
    },
    apply(obj) {
      switch (obj.kind) {
        case 'Deployment':
          return defaultDeployment(obj);
        case 'ReplicaSet':
          return defaultReplicaSet(obj);
        case 'StatefulSet':
          return defaultStatefulSet(obj);
        case 'DaemonSet':
          return defaultDaemonSet(obj);
        case 'Service':
          return defaultService(obj, allocateIp);
        case 'Pod':
          return defaultPodSpec(obj.spec);
        case 'Namespace':
          setDefault(obj, 'spec', { finalizers: ['kubernetes'] });
          setDefault(obj, 'status', { phase: 'Active' });
          return;
        case 'Secret':
          if (obj.type === undefined) obj.type = 'Opaque';
          return;
      }
    },
  };
}
