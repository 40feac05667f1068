import { quoteCommand } from '../domain/shellQuote.js';
import { workloadRef, type DeploymentInfo } from '../domain/plan.js';
import { chooseRollbackTarget, furtherBackTarget } from './chooseRollbackTarget.js';
import { isFailedRollback, lineageOf, rolledBackTo } from '../domain/lineage.js';
import { PENDING_STATUSES } from './statuses.js';
import {
  PLAN_SCHEMA_VERSION,
  type ClusterSnapshot,
  type HistoryEntry,
  type PlanProblem,
  type PlanResult,
  type ReleasePlan,
  type ReleaseReading,
  type RollbackRequest,
} from './types.js';

/**
 * Decides what to do with every requested release from what was read. Pure: no I/O,
 * no clock, no environment, so the same inputs always give the same plan. Any
 * problem refuses the whole run: two releases never start with half a broken plan.
 */
export function planRollback(request: RollbackRequest, snapshot: ClusterSnapshot): PlanResult {
  const problems: PlanProblem[] = [];
  const releases: ReleasePlan[] = [];

  for (const release of request.releases) {
    const reading = snapshot.releases.find((r) => r.release === release);
    if (reading === undefined) {
      problems.push({ release, message: 'was not read from the cluster' });
      continue;
    }
    const planned = planRelease(request, reading);
    if ('message' in planned) problems.push(planned);
    else releases.push(planned);
  }

  for (const pinnedRelease of Object.keys(request.pinnedRevisions)) {
    if (!request.releases.includes(pinnedRelease)) {
      problems.push({ release: pinnedRelease, message: '--to-revision names a release that is not in --release' });
    }
  }

  // A release already rolled back is an answer, not a refusal: only "nothing at all to go back to" is.
  if (problems.length === 0 && releases.every((r) => r.action === 'skip')) {
    problems.push(
      ...releases.map((r) => ({ release: r.release, message: `nothing to roll back: ${r.action === 'skip' ? r.reason : ''}` })),
    );
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    plan: { schemaVersion: PLAN_SCHEMA_VERSION, context: request.context, namespace: request.namespace, releases },
  };
}

/** The exact command line an operator runs next, for this release only. */
function suggestedCommand(request: RollbackRequest, release: string, extra: readonly string[]): string {
  return quoteCommand([
    request.toolName ?? 'videokit-rollback',
    '--execute',
    '--context',
    request.context,
    '--namespace',
    request.namespace,
    '--release',
    release,
    ...extra,
  ]);
}

/** The newest revision is the approved plan's own rollback, written after the plan was made. */
function alreadyApplied(request: RollbackRequest, release: string, current: HistoryEntry): ReleasePlan | undefined {
  const approved = request.approvedRollbacks?.[release];
  if (approved === undefined) return undefined;
  if (current.status !== 'deployed' || current.revision <= approved.from || rolledBackTo(current) !== approved.to) return undefined;
  return { release, action: 'already-applied', current, approvedFrom: approved.from, target: approved.to };
}

function alreadyRolledBack(request: RollbackRequest, release: string, history: readonly HistoryEntry[]): ReleasePlan | undefined {
  const current = history[history.length - 1];
  const to = current === undefined ? undefined : rolledBackTo(current);
  if (current === undefined || to === undefined || current.status !== 'deployed') return undefined;
  const further = furtherBackTarget(history) ?? null;
  return {
    release,
    action: 'already-rolled-back',
    current,
    rolledBackTo: to,
    carries: lineageOf(history).contentOf(current.revision),
    furtherBack: further,
    furtherBackCommand: further === null ? null : suggestedCommand(request, release, ['--to-revision', `${release}=${further.revision}`]),
  };
}

/** Why the newest revision alone refuses the release, before any target is chosen. */
function currentProblem(request: RollbackRequest, release: string, current: HistoryEntry, pinned: number | undefined): string | undefined {
  if (request.requireDeployed === true && current.status !== 'deployed') {
    return `current revision ${current.revision} is ${current.status}, not deployed: a drill starts from a healthy state`;
  }
  const interruptedTo = current.status === 'pending-rollback' ? rolledBackTo(current) : undefined;
  if (interruptedTo !== undefined && !request.allowPending) {
    return (
      `current revision ${current.revision} is pending-rollback (Rollback to ${interruptedTo}): an interrupted rollback, or one still running; ` +
      `once no other helm operation runs on it, finish it with: ${suggestedCommand(request, release, ['--allow-pending'])}`
    );
  }
  if (PENDING_STATUSES.has(current.status) && !request.allowPending) {
    return `current revision ${current.revision} is ${current.status}: another helm operation may still be running (pass --allow-pending to roll back a stuck release)`;
  }
  if (pinned === undefined && isFailedRollback(current)) {
    // helm replaces a failed rollback's description: which revision it went to is not recorded.
    return `current revision ${current.revision} is a failed rollback, and helm does not record to which revision; choose the target with --to-revision ${release}=<revision>`;
  }
  return undefined;
}

function planRelease(request: RollbackRequest, reading: ReleaseReading): ReleasePlan | PlanProblem {
  const { release } = reading;
  if (!reading.history.ok) return { release, message: reading.history.problem };
  const history = [...reading.history.value].sort((a, b) => a.revision - b.revision);
  const current = history[history.length - 1];
  if (current === undefined) return { release, message: 'helm history returned no revisions' };

  const applied = alreadyApplied(request, release, current);
  if (applied !== undefined) return applied;

  const pinned = request.pinnedRevisions[release];
  const problem = currentProblem(request, release, current, pinned);
  if (problem !== undefined) return { release, message: problem };

  // A drill rolls forward with a rollback too, so its starting point is often one: it always rolls back.
  if (pinned === undefined && request.requireDeployed !== true) {
    const already = alreadyRolledBack(request, release, history);
    if (already !== undefined) return already;
  }

  if (history.length < 2 && pinned === undefined) {
    return { release, action: 'skip', reason: `only revision ${current.revision} exists: nothing to go back to`, current };
  }

  const choice = chooseRollbackTarget(history, pinned);
  if (!choice.ok) return { release, message: choice.problem };
  if (!reading.deployments.ok) return { release, message: reading.deployments.problem };

  const warnings = workloadWarnings(release, reading.deployments.value);
  return {
    release,
    action: 'rollback',
    current,
    target: choice.target,
    pinned: pinned !== undefined,
    passedOver: choice.passedOver,
    deployments: reading.deployments.value,
    warnings,
  };
}

/**
 * What an operator must know about the workloads before approving: none at all (nothing
 * to verify), or an OnDelete StatefulSet or DaemonSet, which `kubectl rollout status`
 * refuses (`rollout status is only available for RollingUpdate strategy type`) and whose
 * Pods its controller does not replace after `helm rollback`.
 */
function workloadWarnings(release: string, workloads: readonly DeploymentInfo[]): string[] {
  if (workloads.length === 0) {
    return [`no Deployment, StatefulSet or DaemonSet labelled app.kubernetes.io/instance=${release}: there will be no rollout to verify`];
  }
  return workloads
    .filter((w) => w.onDelete === true)
    .map(
      (w) =>
        `${workloadRef(w)} uses updateStrategy OnDelete: kubectl rollout status cannot report on it, so its Pods are waited for (ready) instead; ` +
        'its controller does not replace running Pods, which keep their old template until they are deleted',
    );
}
