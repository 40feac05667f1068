import { formatLabelSelector } from '../kube/selectors.js';
import type { Deployment, KObject, Pod, ReplicaSet, Service } from '../kube/types.js';
import { isObject } from '../kube/json.js';

/**
 * Server-side printing. `kubectl get` (without -o json/yaml) sends
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io,...` and prints the columns the server
 * returns; without a Table it falls back to NAME and AGE only. Columns with priority 1 are the
 * ones `-o wide` adds. Cell contents follow pkg/printers/internalversion/printers.go.
 */

interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  format?: string;
  priority?: number;
  description: string;
}

interface Printer {
  columns: Column[];
  cells(o: KObject, now: number): unknown[];
}

/** apimachinery's duration.HumanDuration, as printed in AGE. */
export function humanDuration(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  return d < 365 * 2 ? `${d}d` : `${Math.floor(d / 365)}y`;
}

const age = (o: KObject, now: number): string => (o.metadata.creationTimestamp ? humanDuration(now - Date.parse(o.metadata.creationTimestamp)) : '<unknown>');

const col = (name: string, type: Column['type'], description: string, priority = 0, format?: string): Column => ({ name, type, description, priority, ...(format ? { format } : {}) });
const NAME = col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name');
const AGE = col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

function containersOf(tplSpec: { containers?: { name: string; image?: string }[] } | undefined): [string, string] {
  const cs = tplSpec?.containers ?? [];
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image ?? '').join(',')];
}

const podPrinter: Printer = {
  columns: [
    NAME,
    col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
    col('Status', 'string', 'The aggregate status of the containers in this pod.'),
    col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
    AGE,
    col('IP', 'string', 'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.', 1),
    col('Node', 'string', 'Name of the Node to which this pod is assigned', 1),
    col('Nominated Node', 'string', 'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.', 1),
    col('Readiness Gates', 'string', 'If specified, all readiness gates will be evaluated for pod readiness.', 1),
  ],
  cells(o, now) {
    const pod = o as Pod;
    const statuses = pod.status?.containerStatuses ?? [];
    let reason = pod.status?.phase ?? 'Pending';
    let restarts = 0;
    let lastRestart = 0;
    for (const c of statuses) {
      restarts += c.restartCount;
      const waiting = c.state.waiting?.reason;
      if (typeof waiting === 'string' && waiting !== '') reason = waiting;
      const finished = c.lastState.terminated?.finishedAt;
      if (typeof finished === 'string') lastRestart = Math.max(lastRestart, Date.parse(finished));
    }
    const ready = statuses.filter((c) => c.ready).length;
    const gates = pod.spec.readinessGates;
    return [
      pod.metadata.name,
      `${ready}/${pod.spec.containers.length}`,
      reason,
      restarts > 0 && lastRestart > 0 ? `${restarts} (${humanDuration(now - lastRestart)} ago)` : String(restarts),
      age(pod, now),
      pod.status?.podIP || '<none>',
      pod.spec.nodeName || '<none>',
      pod.status?.nominatedNodeName || '<none>',
      Array.isArray(gates) && gates.length > 0 ? `0/${gates.length}` : '<none>',
    ];
  },
};

const workloadWide = [
  col('Containers', 'string', 'Names of each container in the template.', 1),
  col('Images', 'string', 'Images referenced by each container in the template.', 1),
  col('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
];

const deploymentPrinter: Printer = {
  columns: [
    NAME,
    col('Ready', 'string', 'Number of the pod with ready state'),
    col('Up-to-date', 'string', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
    col('Available', 'string', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
    AGE,
    ...workloadWide,
  ],
  cells(o, now) {
    const d = o as Deployment;
    const [names, images] = containersOf(d.spec.template.spec);
    return [d.metadata.name, `${d.status?.readyReplicas ?? 0}/${d.spec.replicas}`, d.status?.updatedReplicas ?? 0, d.status?.availableReplicas ?? 0, age(d, now), names, images, formatLabelSelector(d.spec.selector)];
  },
};

const replicaSetPrinter: Printer = {
  columns: [NAME, col('Desired', 'integer', 'Number of desired pods.'), col('Current', 'integer', 'Number of actually running pods.'), col('Ready', 'integer', 'Number of ready pods.'), AGE, ...workloadWide],
  cells(o, now) {
    const rs = o as ReplicaSet;
    const [names, images] = containersOf(rs.spec.template.spec);
    return [rs.metadata.name, rs.spec.replicas, rs.status?.replicas ?? 0, rs.status?.readyReplicas ?? 0, age(rs, now), names, images, formatLabelSelector(rs.spec.selector)];
  },
};

const servicePrinter: Printer = {
  columns: [
    NAME,
    col('Type', 'string', 'type determines how the Service is exposed.'),
    col('Cluster-IP', 'string', 'clusterIP is the IP address of the service.'),
    col('External-IP', 'string', 'externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.'),
    col('Port(s)', 'string', 'The list of ports that are exposed by this service.'),
    AGE,
    col('Selector', 'string', 'Route service traffic to pods with label keys and values matching this selector.', 1),
  ],
  cells(o, now) {
    const s = o as Service;
    const ports = (s.spec.ports ?? []).map((p) => `${String(p.port)}/${String(p.protocol ?? 'TCP')}`).join(',');
    const selector = isObject(s.spec.selector) ? Object.entries(s.spec.selector).map(([k, v]) => `${k}=${String(v)}`).join(',') : '<none>';
    return [s.metadata.name, s.spec.type ?? 'ClusterIP', s.spec.clusterIP || '<none>', '<none>', ports || '<none>', age(s, now), selector];
  },
};

const secretPrinter: Printer = {
  columns: [NAME, col('Type', 'string', 'The type of the secret'), col('Data', 'string', 'The number of entries in the secret'), AGE],
  cells: (o, now) => [o.metadata.name, o.type ?? 'Opaque', Object.keys(isObject(o.data) ? o.data : {}).length, age(o, now)],
};

const namespacePrinter: Printer = {
  columns: [NAME, col('Status', 'string', 'The status of the namespace'), AGE],
  cells: (o, now) => [o.metadata.name, isObject(o.status) ? String(o.status.phase ?? 'Active') : 'Active', age(o, now)],
};

const defaultPrinter: Printer = { columns: [NAME, AGE], cells: (o, now) => [o.metadata.name, age(o, now)] };

const PRINTERS: Record<string, Printer> = {
  Pod: podPrinter,
  Deployment: deploymentPrinter,
  ReplicaSet: replicaSetPrinter,
  Service: servicePrinter,
  Secret: secretPrinter,
  Namespace: namespacePrinter,
};

export function wantsTable(accept: string | undefined): boolean {
  return accept !== undefined && /as=Table/.test(accept);
}

/** The Table API version the client asked for first (kubectl asks v1, then v1beta1). */
function tableApiVersion(accept: string): string {
  const first = accept.split(',').find((p) => p.includes('as=Table')) ?? '';
  return /v=v1beta1/.test(first) ? 'meta.k8s.io/v1beta1' : 'meta.k8s.io/v1';
}

export function toTable(kind: string, items: KObject[], resourceVersion: string, accept: string, includeObject: string | null): Record<string, unknown> {
  const printer = PRINTERS[kind] ?? defaultPrinter;
  const now = Date.now();
  const apiVersion = tableApiVersion(accept);
  return {
    kind: 'Table',
    apiVersion,
    metadata: { resourceVersion },
    columnDefinitions: printer.columns,
    rows: items.map((o) => ({
      cells: printer.cells(o, now),
      // kubectl asks for includeObject=Object only when sorting; by default the row carries
      // PartialObjectMetadata (it reads namespace and labels from it for --show-labels, -L).
      ...(includeObject === 'None'
        ? {}
        : { object: includeObject === 'Object' ? o : { kind: 'PartialObjectMetadata', apiVersion, metadata: o.metadata } }),
    })),
  };
}
