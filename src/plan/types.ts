import type { RecordedPlan, ReleasePlan } from '../domain/plan.js';
import { PLAN_SCHEMA_VERSION } from '../domain/plan.js';
import type { DeploymentInfo, HistoryEntry, PlanProblem } from '../domain/plan.js';

export type {
  DeploymentInfo,
  HistoryEntry,
  PassedOverRevision,
  PlanProblem,
  ReleaseAlreadyApplied,
  ReleaseAlreadyRolledBack,
  ReleasePlan,
  ReleaseRollback,
  ReleaseSkip,
} from '../domain/plan.js';
export { PLAN_SCHEMA_VERSION };

/** The result of one read: a value, or the one-line reason it could not be had. */
export type Reading<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

export interface ReleaseReading {
  readonly release: string;
  readonly history: Reading<readonly HistoryEntry[]>;
  readonly deployments: Reading<readonly DeploymentInfo[]>;
}

/** Everything planning reads from the cluster, gathered before planning starts. */
export interface ClusterSnapshot {
  readonly releases: readonly ReleaseReading[];
}

/** What the operator asked for, already validated. */
export interface RollbackRequest {
  readonly releases: readonly string[];
  readonly namespace: string;
  readonly context: string;
  /** `--to-revision release=N` */
  readonly pinnedRevisions: Readonly<Record<string, number>>;
  readonly allowPending: boolean;
  /** A drill starts from a healthy state: refuse any release whose newest revision is not `deployed`. */
  readonly requireDeployed?: boolean;
  /**
   * `--plan`: each approved rollback, from and to. A release whose newest revision is now
   * that very rollback, done after the plan, is `already-applied` rather than drift.
   */
  readonly approvedRollbacks?: Readonly<Record<string, { readonly from: number; readonly to: number }>>;
  /** How the tool is invoked, for the exact commands the plan suggests (`videokit-rollback`). */
  readonly toolName?: string;
}

/** The planner's plan: the recorded plan, always with its schema version. */
export interface RollbackPlan extends RecordedPlan {
  readonly schemaVersion: typeof PLAN_SCHEMA_VERSION;
  readonly releases: readonly ReleasePlan[];
}

export type PlanResult =
  | { readonly ok: true; readonly plan: RollbackPlan }
  | { readonly ok: false; readonly problems: readonly PlanProblem[] };
