/** What planning needs to know about one revision, as `helm history -o json` reports it. */
export interface HistoryEntry {
  readonly revision: number;
  /** RFC 3339; helm 3 prints "" for a zero time and helm 4 omits it: both become undefined. */
  readonly updated: string | undefined;
  readonly status: string;
  readonly chart: string;
  readonly appVersion: string;
  readonly description: string;
}

export interface DeploymentInfo {
  readonly name: string;
  /** Container images of the pod template: recorded so the transcript shows what ran before. */
  readonly images: readonly string[];
  /** `status.replicas` / `status.readyReplicas` when kubectl reported a status. */
  readonly replicas?: number;
  readonly readyReplicas?: number;
}

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

export interface PassedOverRevision {
  readonly revision: number;
  readonly status: string;
  readonly reason: string;
}

export interface ReleaseRollback {
  readonly release: string;
  readonly action: 'rollback';
  readonly current: HistoryEntry;
  readonly target: HistoryEntry;
  readonly pinned: boolean;
  /** Revisions between target and current that were not chosen, newest first, with why. */
  readonly passedOver: readonly PassedOverRevision[];
  readonly deployments: readonly DeploymentInfo[];
  readonly warnings: readonly string[];
}

export interface ReleaseSkip {
  readonly release: string;
  readonly action: 'skip';
  readonly reason: string;
  readonly current: HistoryEntry | undefined;
}

/**
 * The newest revision is a completed rollback (`deployed`, `Rollback to N`) and no
 * `--to-revision` was given: rolling back again would re-deploy what was rolled back from.
 */
export interface ReleaseAlreadyRolledBack {
  readonly release: string;
  readonly action: 'already-rolled-back';
  readonly current: HistoryEntry;
  /** The N of `Rollback to N`. */
  readonly rolledBackTo: number;
  /** The revision whose content the current one carries (N, or what N rolled back to). */
  readonly carries: number;
  /** The revision a `--to-revision` would go to, to go further back; null when none is left. */
  readonly furtherBack: HistoryEntry | null;
  /** The exact command that goes further back, or null. */
  readonly furtherBackCommand: string | null;
}

/** `--plan`: the cluster already shows this plan's own rollback, made after the plan. */
export interface ReleaseAlreadyApplied {
  readonly release: string;
  readonly action: 'already-applied';
  readonly current: HistoryEntry;
  /** The approved plan's revisions: from `approvedFrom` back to `target`. */
  readonly approvedFrom: number;
  readonly target: number;
}

export type ReleasePlan = ReleaseRollback | ReleaseSkip | ReleaseAlreadyRolledBack | ReleaseAlreadyApplied;

export const PLAN_SCHEMA_VERSION = 1;

export interface RollbackPlan {
  readonly schemaVersion: typeof PLAN_SCHEMA_VERSION;
  readonly context: string;
  readonly namespace: string;
  readonly releases: readonly ReleasePlan[];
}

export interface PlanProblem {
  readonly release: string;
  readonly message: string;
}

export type PlanResult =
  | { readonly ok: true; readonly plan: RollbackPlan }
  | { readonly ok: false; readonly problems: readonly PlanProblem[] };
