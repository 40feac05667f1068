import { chooseRollbackTarget } from './chooseRollbackTarget.js';
import { PENDING_STATUSES } from './statuses.js';
import {
  PLAN_SCHEMA_VERSION,
  type ClusterSnapshot,
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

function planRelease(request: RollbackRequest, reading: ReleaseReading): ReleasePlan | PlanProblem {
  const { release } = reading;
  if (!reading.history.ok) return { release, message: reading.history.problem };
  const history = [...reading.history.value].sort((a, b) => a.revision - b.revision);
  const current = history[history.length - 1];
  if (current === undefined) return { release, message: 'helm history returned no revisions' };

  if (request.requireDeployed === true && current.status !== 'deployed') {
    return {
      release,
      message: `current revision ${current.revision} is ${current.status}, not deployed: a drill starts from a healthy state`,
    };
  }

  if (PENDING_STATUSES.has(current.status) && !request.allowPending) {
    return {
      release,
      message: `current revision ${current.revision} is ${current.status}: another helm operation may still be running (pass --allow-pending to roll back a stuck release)`,
    };
  }

  const pinned = request.pinnedRevisions[release];
  if (history.length < 2 && pinned === undefined) {
    return { release, action: 'skip', reason: `only revision ${current.revision} exists: nothing to go back to`, current };
  }

  const choice = chooseRollbackTarget(history, pinned);
  if (!choice.ok) return { release, message: choice.problem };
  if (!reading.deployments.ok) return { release, message: reading.deployments.problem };

  const warnings =
    reading.deployments.value.length === 0
      ? [`no Deployment labelled app.kubernetes.io/instance=${release}: there will be no rollout to verify`]
      : [];
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
