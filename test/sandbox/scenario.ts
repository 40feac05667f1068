import { readFileSync } from 'node:fs';
import { z } from 'zod';

/**
 * A scenario: the cluster state the sandbox starts from. Each release lists its stored
 * revisions; the seeder turns them into helm release Secrets and rolls the live objects out.
 */

export const HELM_STATUSES = [
  'unknown',
  'deployed',
  'uninstalled',
  'superseded',
  'failed',
  'uninstalling',
  'pending-install',
  'pending-upgrade',
  'pending-rollback',
] as const;

const RevisionSchema = z
  .object({
    revision: z.number().int().positive(),
    status: z.enum(HELM_STATUSES),
    chart: z.object({ name: z.string().min(1), version: z.string().min(1) }).strict(),
    appVersion: z.string().min(1),
    /** The container image is `registry.example/<release>:<imageTag>`. */
    imageTag: z.string().min(1),
    description: z.string(),
    /** Overrides the release's replicas for this revision. */
    replicas: z.number().int().min(0).optional(),
    progressDeadlineSeconds: z.number().int().positive().optional(),
    /** YAML appended to the stored manifest (e.g. Secrets in any style); helm applies it on rollback. */
    extraManifest: z.string().optional(),
    /** RFC 3339; defaults to one day per revision before the sandbox starts. */
    deployedAt: z.iso.datetime().optional(),
  })
  .strict();

/** A StatefulSet or DaemonSet the release's chart renders beside its Deployment. */
const WorkloadSchema = z
  .object({
    kind: z.enum(['StatefulSet', 'DaemonSet']),
    /** Appended to the release name: `db` makes `videokit-worker-db`, image `registry.example/videokit-worker-db:<imageTag>`. */
    suffix: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/),
    updateStrategy: z.enum(['RollingUpdate', 'OnDelete']).optional(),
    /** StatefulSet only; default 1. */
    replicas: z.number().int().min(0).optional(),
  })
  .strict();

const ReleaseSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'a DNS label'),
    /** Defaults to the scenario's first namespace. */
    namespace: z.string().optional(),
    replicas: z.number().int().min(0).default(1),
    revisions: z.array(RevisionSchema).min(1),
    /** StatefulSets and DaemonSets rendered in every revision, beside the Deployment. */
    workloads: z.array(WorkloadSchema).default([]),
    /**
     * The revision whose objects run in the cluster; defaults to the highest `deployed` one,
     * else the highest.
     */
    liveRevision: z.number().int().positive().optional(),
  })
  .strict();

export const ScenarioSchema = z
  .object({
    description: z.string().optional(),
    /** The kubeconfig context name, e.g. `prod-eu-west-1-admin`. */
    context: z.string().min(1),
    /** The first one is the context's namespace. */
    namespaces: z.array(z.string().min(1)).min(1),
    podReadyDelayMs: z.number().int().min(0).default(300),
    /** Image substrings whose pods run but never become Ready (CrashLoopBackOff). */
    neverReadyImages: z.array(z.string().min(1)).default([]),
    releases: z.array(ReleaseSchema).default([]),
  })
  .strict()
  .superRefine((s, ctx) => {
    for (const [i, r] of s.releases.entries()) {
      const ns = r.namespace ?? s.namespaces[0];
      if (ns !== undefined && !s.namespaces.includes(ns)) ctx.addIssue({ code: 'custom', path: ['releases', i, 'namespace'], message: `namespace ${ns} is not in namespaces` });
      const revs = r.revisions.map((v) => v.revision);
      if (new Set(revs).size !== revs.length) ctx.addIssue({ code: 'custom', path: ['releases', i, 'revisions'], message: 'duplicate revision numbers' });
      if (r.liveRevision !== undefined && !revs.includes(r.liveRevision)) ctx.addIssue({ code: 'custom', path: ['releases', i, 'liveRevision'], message: 'not one of the revisions' });
    }
  });

/** A scenario as written (defaults optional). */
export type Scenario = z.input<typeof ScenarioSchema>;
/** A scenario after validation and defaults. */
export type ResolvedScenario = z.output<typeof ScenarioSchema>;
export type ScenarioRelease = ResolvedScenario['releases'][number];

export function parseScenario(input: unknown, origin = 'scenario'): ResolvedScenario {
  const r = ScenarioSchema.safeParse(input);
  if (!r.success) throw new Error(`${origin}: invalid scenario:\n${z.prettifyError(r.error)}`);
  return r.data;
}

export function loadScenario(source: Scenario | string): ResolvedScenario {
  if (typeof source !== 'string') return parseScenario(source);
  return parseScenario(JSON.parse(readFileSync(source, 'utf8')) as unknown, source);
}

export function liveRevisionOf(r: ScenarioRelease): number {
  if (r.liveRevision !== undefined) return r.liveRevision;
  const sorted = [...r.revisions].sort((a, b) => b.revision - a.revision);
  return (sorted.find((v) => v.status === 'deployed') ?? sorted[0]!).revision;
}
