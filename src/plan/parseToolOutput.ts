import * as z from 'zod/mini';
import { isObjectName } from '../domain/names.js';
import '../domain/zodMessages.js';
import type { DeploymentInfo, HistoryEntry, Reading } from './types.js';

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

/** A kubectl `List` of Deployments: we only trust names that are valid object names. */
const deploymentListSchema = z.object({
  items: z.array(
    z.object({
      metadata: z.object({ name: z.string().check(z.refine(isObjectName, 'not a valid object name')) }),
      spec: z.optional(
        z.object({
          template: z.optional(
            z.object({
              spec: z.optional(z.object({ containers: z.optional(z.array(z.object({ image: z.optional(z.string()) }))) })),
            }),
          ),
        }),
      ),
      // Recorded for the report's "pods ready" column; absent on a Deployment with no Pods yet.
      status: z.optional(
        z.object({
          replicas: z.optional(z.number().check(z.int(), z.nonnegative())),
          readyReplicas: z.optional(z.number().check(z.int(), z.nonnegative())),
        }),
      ),
    }),
  ),
});

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

export function parseDeploymentList(stdout: string): Reading<DeploymentInfo[]> {
  const json = extractJson(stdout);
  if (!json.ok) return { ok: false, problem: `kubectl get deployments: ${json.problem}` };
  const parsed = deploymentListSchema.safeParse(json.value);
  if (!parsed.success) {
    return { ok: false, problem: `kubectl get deployments printed an unexpected shape (${describeIssues(parsed.error)})` };
  }
  return {
    ok: true,
    value: parsed.data.items.map((item) => ({
      name: item.metadata.name,
      images: (item.spec?.template?.spec?.containers ?? []).flatMap((c) => (c.image === undefined ? [] : [c.image])),
      // The API server omits zero counts from status: a present status with no readyReplicas means 0 ready.
      ...(item.status === undefined
        ? {}
        : { replicas: item.status.replicas ?? 0, readyReplicas: item.status.readyReplicas ?? 0 }),
    })),
  };
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
