import * as z from 'zod/mini';
import { isObjectName } from '../domain/names.js';
import '../domain/zodMessages.js';
import type { DeploymentInfo, HistoryEntry, Reading } from './types.js';
import { WORKLOAD_KINDS, workloadRef } from '../domain/plan.js';
import { WORKLOAD_RESOURCES } from '../tools/kubectl.js';

/**
 * `helm history -o json`: an array, ascending by revision. helm 3 prints `updated: ""`
 * for a zero time, helm 4 omits the field; newer helm adds `rollback_revision`.
 * Unknown fields are tolerated (zod objects strip them).
 */
const historyEntrySchema = z.object({
  revision: z.number().check(z.int(), z.positive()),
  updated: z.optional(z.string()),
  status: z.string().check(z.minLength(1)),
  chart: z.string(),
  app_version: z.optional(z.string()),
  description: z.optional(z.string()),
});
const historySchema = z.array(historyEntrySchema);

const count = () => z.optional(z.number().check(z.int(), z.nonnegative()));

/** `spec.selector`: the labels a workload's Pods carry (used to wait for an OnDelete workload's Pods). */
const labelSelectorSchema = z.object({
  matchLabels: z.optional(z.record(z.string(), z.string())),
  matchExpressions: z.optional(z.array(z.object({ key: z.string(), operator: z.string(), values: z.optional(z.array(z.string())) }))),
});

/**
 * `kubectl get deployments,statefulsets,daemonsets -o json`: one `List` whose items name
 * their kind. We only trust names that are valid object names.
 */
const workloadListSchema = z.object({
  items: z.array(
    z.object({
      kind: z.enum(WORKLOAD_KINDS),
      metadata: z.object({ name: z.string().check(z.refine(isObjectName, 'not a valid object name')) }),
      spec: z.optional(
        z.object({
          selector: z.optional(labelSelectorSchema),
          updateStrategy: z.optional(z.object({ type: z.optional(z.string()) })),
          template: z.optional(
            z.object({
              spec: z.optional(z.object({ containers: z.optional(z.array(z.object({ image: z.optional(z.string()) }))) })),
            }),
          ),
        }),
      ),
      // Recorded for the report's "pods ready" column; absent on a workload with no Pods yet.
      // A DaemonSet counts Pods per node: desiredNumberScheduled and numberReady.
      status: z.optional(
        z.object({
          replicas: count(),
          readyReplicas: count(),
          desiredNumberScheduled: count(),
          numberReady: count(),
        }),
      ),
    }),
  ),
});
type WorkloadItem = z.infer<typeof workloadListSchema>['items'][number];

const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/**
 * A `spec.selector` in kubectl's `--selector` syntax (`a=b,c in (d,e),!f`), or undefined
 * when it has nothing to select by or holds what that syntax cannot carry.
 */
export function selectorString(selector: z.infer<typeof labelSelectorSchema> | undefined): string | undefined {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(selector?.matchLabels ?? {})) {
    if (!LABEL_KEY.test(key) || !LABEL_VALUE.test(value)) return undefined;
    parts.push(`${key}=${value}`);
  }
  for (const { key, operator, values = [] } of selector?.matchExpressions ?? []) {
    if (!LABEL_KEY.test(key) || !values.every((v) => LABEL_VALUE.test(v))) return undefined;
    if (operator === 'In' || operator === 'NotIn') parts.push(`${key} ${operator === 'In' ? 'in' : 'notin'} (${values.join(',')})`);
    else if (operator === 'Exists') parts.push(key);
    else if (operator === 'DoesNotExist') parts.push(`!${key}`);
    else return undefined;
  }
  return parts.length === 0 ? undefined : parts.join(',');
}

function workloadOf(item: WorkloadItem): Reading<DeploymentInfo> {
  const { kind } = item;
  const { name } = item.metadata;
  const status = item.status;
  // The API server omits zero counts from status: a present status with no ready count means 0 ready.
  const counts =
    status === undefined
      ? {}
      : kind === 'DaemonSet'
        ? { replicas: status.desiredNumberScheduled ?? 0, readyReplicas: status.numberReady ?? 0 }
        : { replicas: status.replicas ?? 0, readyReplicas: status.readyReplicas ?? 0 };
  const info = {
    kind,
    name,
    images: (item.spec?.template?.spec?.containers ?? []).flatMap((c) => (c.image === undefined ? [] : [c.image])),
    ...counts,
  };
  if (kind === 'Deployment' || item.spec?.updateStrategy?.type !== 'OnDelete') return { ok: true, value: info };
  const podSelector = selectorString(item.spec.selector);
  if (podSelector === undefined) {
    return { ok: false, problem: `${workloadRef(info)} uses updateStrategy OnDelete and its spec.selector cannot be passed to kubectl --selector to wait for its Pods` };
  }
  return { ok: true, value: { ...info, onDelete: true, podSelector } };
}

/**
 * Tools sometimes print warnings before their JSON (helm: "WARNING: Kubernetes
 * configuration file is group-readable", plugins, proxies). Parse from the first
 * line that opens a JSON value; anything else is reported, not guessed at.
 */
function extractJson(stdout: string): Reading<unknown> {
  const lines = stdout.split('\n');
  const start = lines.findIndex((line) => /^\s*[[{]/.test(line));
  if (start === -1) {
    // An HTML page means something other than the API server answered: a proxy, a login page.
    if (/^\s*</.test(stdout)) {
      return { ok: false, problem: `expected JSON, got: ${firstLine(stdout, 100)} (an HTML page: a proxy or login page answered, not the API server)` };
    }
    return { ok: false, problem: `expected JSON, got: ${firstLine(stdout)}` };
  }
  try {
    return { ok: true, value: JSON.parse(lines.slice(start).join('\n')) };
  } catch {
    return { ok: false, problem: `output is not valid JSON (truncated?): ${firstLine(lines.slice(start).join('\n'))}` };
  }
}

export function firstLine(text: string, max = 160): string {
  const line = text.trim().split('\n')[0] ?? '';
  if (line === '') return '(empty output)';
  return line.length > max ? `${line.slice(0, max - 3)}...` : line;
}

function describeIssues(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'unexpected shape';
  return `${issue.path.join('.') || '(top level)'}: ${issue.message}`;
}

export function parseHelmHistory(stdout: string): Reading<HistoryEntry[]> {
  const json = extractJson(stdout);
  if (!json.ok) return { ok: false, problem: `helm history: ${json.problem}` };
  const parsed = historySchema.safeParse(json.value);
  if (!parsed.success) return { ok: false, problem: `helm history printed an unexpected shape (${describeIssues(parsed.error)})` };
  const revisions = new Set<number>();
  for (const entry of parsed.data) {
    if (revisions.has(entry.revision)) return { ok: false, problem: `helm history lists revision ${entry.revision} twice` };
    revisions.add(entry.revision);
  }
  return {
    ok: true,
    value: parsed.data.map((e) => ({
      revision: e.revision,
      updated: e.updated === undefined || e.updated === '' ? undefined : e.updated,
      status: e.status,
      chart: e.chart,
      appVersion: e.app_version ?? '',
      description: e.description ?? '',
    })),
  };
}

export function parseWorkloadList(stdout: string): Reading<DeploymentInfo[]> {
  const json = extractJson(stdout);
  if (!json.ok) return { ok: false, problem: `kubectl get ${WORKLOAD_RESOURCES}: ${json.problem}` };
  const parsed = workloadListSchema.safeParse(json.value);
  if (!parsed.success) {
    return { ok: false, problem: `kubectl get ${WORKLOAD_RESOURCES} printed an unexpected shape (${describeIssues(parsed.error)})` };
  }
  const workloads: DeploymentInfo[] = [];
  for (const item of parsed.data.items) {
    const workload = workloadOf(item);
    if (!workload.ok) return workload;
    workloads.push(workload.value);
  }
  return { ok: true, value: workloads };
}

/** `helm version --short`: `v3.17.3+ge4da497` (helm 3 and 4 alike). */
const helmVersionSchema = z.string().check(z.regex(/^v(\d+)\.(\d+)\.(\d+)\S*$/));

export interface HelmVersion {
  readonly version: string;
  readonly major: number;
}

export function parseHelmVersion(stdout: string): Reading<HelmVersion> {
  const line = stdout.trim().split('\n').at(-1)?.trim() ?? '';
  const parsed = helmVersionSchema.safeParse(line);
  if (!parsed.success) return { ok: false, problem: `helm version --short printed an unexpected version: ${firstLine(stdout)}` };
  return { ok: true, value: { version: parsed.data, major: Number(/^v(\d+)/.exec(parsed.data)?.[1]) } };
}

/** `kubectl version --client -o json`: only `clientVersion.gitVersion` is kept. */
const kubectlVersionSchema = z.object({ clientVersion: z.object({ gitVersion: z.string().check(z.regex(/^v\d+\.\d+\.\d+/)) }) });

export function parseKubectlVersion(stdout: string): Reading<string> {
  const json = extractJson(stdout);
  if (!json.ok) return { ok: false, problem: `kubectl version: ${json.problem}` };
  const parsed = kubectlVersionSchema.safeParse(json.value);
  if (!parsed.success) return { ok: false, problem: `kubectl version printed an unexpected shape (${describeIssues(parsed.error)})` };
  return { ok: true, value: parsed.data.clientVersion.gitVersion };
}

/**
 * `kubectl config view --minify --context C -o json`: the one cluster of that context.
 * Only `server` is read; kubectl already prints credentials as REDACTED / DATA+OMITTED.
 */
const configViewSchema = z.object({
  clusters: z.array(z.object({ name: z.string(), cluster: z.object({ server: z.url() }) })).check(z.length(1)),
});

export function parseClusterServer(stdout: string): Reading<string> {
  const json = extractJson(stdout);
  if (!json.ok) return { ok: false, problem: `kubectl config view: ${json.problem}` };
  const parsed = configViewSchema.safeParse(json.value);
  if (!parsed.success) return { ok: false, problem: `kubectl config view printed an unexpected shape (${describeIssues(parsed.error)})` };
  return { ok: true, value: parsed.data.clusters[0]!.cluster.server };
}
