import * as z from 'zod/mini';
import type { DeepReadonly } from './readonly.js';

/**
 * A rollback plan as the run records it (the transcript's `plan` event, the JSON
 * document): the planner produces it, the report reads it back.
 */
const int = () => z.number().check(z.int());

/** What planning needs to know about one revision, as `helm history -o json` reports it. */
export const historyEntrySchema = z.object({
  revision: int(),
  /** RFC 3339; helm 3 prints "" for a zero time and helm 4 omits it: both become absent. */
  updated: z.optional(z.string()),
  status: z.string(),
  chart: z.string(),
  appVersion: z.string(),
  description: z.string(),
});
export type HistoryEntry = DeepReadonly<z.infer<typeof historyEntrySchema>>;

/** The workload kinds a release's rollout is verified on: what `kubectl rollout status` supports. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'DaemonSet'] as const;
export type WorkloadKind = (typeof WORKLOAD_KINDS)[number];

/**
 * One workload of a release (the field keeps its name `deployments` in the plan, events
 * and approved plans, so transcripts and plans written before StatefulSets and
 * DaemonSets were watched still read back; each entry names its kind).
 */
export const deploymentSchema = z.object({
  /** Absent in records made when only Deployments were listed: those are Deployments. */
  kind: z.optional(z.enum(WORKLOAD_KINDS)),
  name: z.string(),
  /** Container images of the pod template: recorded so the transcript shows what ran before. */
  images: z.array(z.string()),
  /** `status.replicas` / `status.readyReplicas` when kubectl reported a status. */
  replicas: z.optional(int()),
  readyReplicas: z.optional(int()),
  /**
   * `spec.updateStrategy.type: OnDelete` (StatefulSet, DaemonSet): kubectl rollout status
   * answers `rollout status is only available for RollingUpdate strategy type`, so its Pods
   * are waited for instead, by `podSelector` (its `spec.selector` as a label selector).
   */
  onDelete: z.optional(z.boolean()),
  podSelector: z.optional(z.string()),
});
export type DeploymentInfo = DeepReadonly<z.infer<typeof deploymentSchema>>;

export const passedOverSchema = z.object({ revision: int(), status: z.string(), reason: z.string() });
export type PassedOverRevision = DeepReadonly<z.infer<typeof passedOverSchema>>;

export const releaseRollbackSchema = z.object({
  release: z.string(),
  action: z.literal('rollback'),
  current: historyEntrySchema,
  target: historyEntrySchema,
  pinned: z.boolean(),
  /** Revisions between target and current that were not chosen, newest first, with why. */
  passedOver: z.array(passedOverSchema),
  deployments: z.array(deploymentSchema),
  warnings: z.array(z.string()),
});
export type ReleaseRollback = DeepReadonly<z.infer<typeof releaseRollbackSchema>>;

export const releaseSkipSchema = z.object({ release: z.string(), action: z.literal('skip'), reason: z.string(), current: z.optional(historyEntrySchema) });
export type ReleaseSkip = DeepReadonly<z.infer<typeof releaseSkipSchema>>;

/**
 * The newest revision is a completed rollback (`deployed`, `Rollback to N`) and no
 * `--to-revision` was given: rolling back again would re-deploy what was rolled back from.
 */
export const releaseAlreadyRolledBackSchema = z.object({
  release: z.string(),
  action: z.literal('already-rolled-back'),
  current: historyEntrySchema,
  /** The N of `Rollback to N`. */
  rolledBackTo: int(),
  /** The revision whose content the current one carries (N, or what N rolled back to). */
  carries: int(),
  /** The revision a `--to-revision` would go to, to go further back; null when none is left. */
  furtherBack: z.nullable(historyEntrySchema),
  /** The exact command that goes further back, or null. */
  furtherBackCommand: z.nullable(z.string()),
});
export type ReleaseAlreadyRolledBack = DeepReadonly<z.infer<typeof releaseAlreadyRolledBackSchema>>;

/** `--plan`: the cluster already shows this plan's own rollback, made after the plan. */
export const releaseAlreadyAppliedSchema = z.object({
  release: z.string(),
  action: z.literal('already-applied'),
  current: historyEntrySchema,
  /** The approved plan's revisions: from `approvedFrom` back to `target`. */
  approvedFrom: int(),
  target: int(),
});
export type ReleaseAlreadyApplied = DeepReadonly<z.infer<typeof releaseAlreadyAppliedSchema>>;

export const releasePlanSchema = z.discriminatedUnion('action', [
  releaseRollbackSchema,
  releaseSkipSchema,
  releaseAlreadyRolledBackSchema,
  releaseAlreadyAppliedSchema,
]);
export type ReleasePlan = ReleaseRollback | ReleaseSkip | ReleaseAlreadyRolledBack | ReleaseAlreadyApplied;

export const PLAN_SCHEMA_VERSION = 1;

export const rollbackPlanSchema = z.object({
  /** Absent in transcripts written before the plan carried its version. */
  schemaVersion: z.optional(z.literal(PLAN_SCHEMA_VERSION)),
  context: z.string(),
  namespace: z.string(),
  releases: z.array(releasePlanSchema),
});
/** The plan as recorded; the planner's own RollbackPlan (plan/types.ts) always carries its schemaVersion. */
export type RecordedPlan = DeepReadonly<z.infer<typeof rollbackPlanSchema>>;

/** Why planning refused one release. */
export interface PlanProblem {
  readonly release: string;
  readonly message: string;
}

/** How a workload is named to kubectl and to people: `deployment/videokit-api`, `statefulset/videokit-worker-db`. */
export function workloadRef(workload: Pick<DeploymentInfo, 'kind' | 'name'>): string {
  return `${(workload.kind ?? 'Deployment').toLowerCase()}/${workload.name}`;
}
