import type { EventOf } from '../domain/events.js';
import type { ClusterTarget } from '../domain/commandSpec.js';
import { RollbackFailure, type FailureKind } from '../domain/errors.js';
import type { ForwardResult, ReleaseResult, Stage, StageResult } from '../domain/vocabulary.js';
import type { Binaries } from '../plan/readCluster.js';
import { explainNoWrite } from '../domain/explain.js';
import type { ReleaseRollback, RollbackPlan } from '../plan/types.js';
import { runReleaseSteps, type StepRunOptions, type StepsOutcome } from './runReleaseSteps.js';
import { mapWithConcurrency } from '../process/pool.js';
import { forwardSteps, rollbackSteps, type StepOptions } from './steps.js';

export { MIN_COMMAND_MS } from './runReleaseSteps.js';

export type { ForwardResult, ReleaseResult };

export interface ExecutionReport {
  readonly releases: readonly ReleaseResult[];
  /** Releases on which `helm rollback` ran (successfully or not): they may need restoring. */
  readonly touched: readonly ReleaseRollback[];
  readonly failure: RollbackFailure | undefined;
  /** Release locks this run took and could not release, with the command that removes each. */
  readonly locksLeft: readonly string[];
}

export interface ForwardReport {
  readonly releases: readonly ForwardResult[];
  /** Releases whose roll forward did not end healthy: still away from their revision before the drill. */
  readonly notRestored: readonly ReleaseRollback[];
  readonly failure: RollbackFailure | undefined;
}

/** One release's stage as it ended, for the transcript: its release-result event without type and time. */
export type ReleaseDone = Omit<EventOf<'release-result'>, 'type' | 'time'>;

export interface ExecuteOptions extends StepRunOptions, StepOptions {
  readonly bins: Binaries;
  readonly target: ClusterTarget;
  /** Called as each release's stage ends (never for releases that were not started). */
  readonly onReleaseDone?: (done: ReleaseDone) => void;
  /** Releases rolled back at once (`--parallel`); 1 (the default) = strictly in plan order. */
  readonly parallel?: number;
}

/**
 * When releases run side by side, more than one can fail. The run reports the
 * most serious: an interrupt, then a failed `helm rollback` (the cluster may be
 * half rolled back: exit 4), then an unhealthy rollout (exit 5); the first in
 * plan order among equals.
 */
const SEVERITY: Record<FailureKind, number> = {
  'interrupted-sigterm': 0,
  'interrupted-sigint': 0,
  'restore-failed': 1,
  internal: 1,
  rollback: 2,
  unhealthy: 3,
  plan: 4,
  usage: 5,
};

function report(options: ExecuteOptions, stage: Stage, plan: ReleaseRollback, from: number, to: number, outcome: StepsOutcome, result: StageResult): void {
  options.onReleaseDone?.({
    stage,
    release: plan.release,
    result,
    from,
    to,
    healthy: outcome.failure === undefined,
    durationMs: outcome.durationMs,
    reason: outcome.failure?.reason ?? null,
    pods: outcome.pods,
  });
}

/**
 * Rolls the planned releases back, at most `parallel` at a time, starting them in
 * plan order (with 1, strictly one after another), and verifies each: helm
 * rollback, rollout status of every workload found while planning, the Pod
 * listing. After the first failure no new release starts; releases already under
 * way finish (killing a `helm rollback` midway leaves the release
 * `pending-rollback`). Releases never started are reported `not-started`.
 */
export async function executeRollback(plan: RollbackPlan, options: ExecuteOptions): Promise<ExecutionReport> {
  const rollbacks = plan.releases.filter((r): r is ReleaseRollback => r.action === 'rollback');
  const outcomes = new Map<string, StepsOutcome>();
  let failed = false;

  await mapWithConcurrency(rollbacks, options.parallel ?? 1, async (releasePlan) => {
    if (failed) return;
    const outcome = await runReleaseSteps(rollbackSteps(options.bins, options.target, releasePlan, options), options);
    outcomes.set(releasePlan.release, outcome);
    if (outcome.failure !== undefined) failed = true;
    const from = releasePlan.current.revision;
    const to = releasePlan.target.revision;
    if (outcome.failure === undefined) report(options, 'rollback', releasePlan, from, to, outcome, 'rolled-back');
    else if (outcome.touched) {
      report(options, 'rollback', releasePlan, from, to, outcome, outcome.failure.interrupted ? 'interrupted' : outcome.failure.write ? 'rollback-failed' : 'unhealthy');
    }
  });

  const results: ReleaseResult[] = [];
  let first: { release: string; result: StageResult; failure: NonNullable<StepsOutcome['failure']> } | undefined;
  for (const releasePlan of plan.releases) {
    const { release } = releasePlan;
    if (releasePlan.action === 'skip') {
      results.push({ release, result: 'skipped', reason: releasePlan.reason });
      continue;
    }
    if (releasePlan.action === 'already-rolled-back' || releasePlan.action === 'already-applied') {
      results.push({ release, result: releasePlan.action, revision: releasePlan.current.revision, reason: explainNoWrite(releasePlan) });
      continue;
    }
    const from = releasePlan.current.revision;
    const to = releasePlan.target.revision;
    const outcome = outcomes.get(release);
    if (outcome === undefined) {
      results.push({ release, result: 'not-started', from, to });
      continue;
    }
    if (outcome.failure === undefined) {
      results.push({ release, result: 'rolled-back', from, to, pods: outcome.pods });
      continue;
    }
    const result = outcome.failure.interrupted ? 'interrupted' : outcome.failure.write ? 'rollback-failed' : 'unhealthy';
    let reason = outcome.failure.reason;
    if (outcome.touched) results.push({ release, result, from, to, reason });
    else if (outcome.failure.lostRace === true) results.push({ release, result: 'lost-race', from, to, reason });
    else {
      results.push({ release, result: 'not-started', from, to });
      if (options.interruption() !== undefined) reason = `${reason} before helm rollback started; ${release} was not touched`;
    }
    if (first === undefined || SEVERITY[outcome.failure.kind] < SEVERITY[first.failure.kind]) {
      first = { release, result, failure: { ...outcome.failure, reason } };
    }
  }

  return {
    releases: results,
    touched: rollbacks.filter((r) => outcomes.get(r.release)?.touched === true),
    locksLeft: [...outcomes.values()].flatMap((o) => (o.lockLeft === undefined ? [] : [o.lockLeft])),
    failure: first && new RollbackFailure(first.failure.kind, `${first.release}: ${first.failure.reason}`, rollbackHint(first.release, first.result, first.failure.killed === true)),
  };
}

/**
 * A drill's second half: every release the rollback touched goes back to the
 * revision it had before the drill. Unlike the rollback it does not stop at the
 * first failure: a release left behind should not keep the others from being
 * restored. It stops only when interrupted or out of budget.
 */
export async function executeForward(touched: readonly ReleaseRollback[], options: ExecuteOptions): Promise<ForwardReport> {
  const results: ForwardResult[] = [];
  const notRestored: ReleaseRollback[] = [];
  let failure: RollbackFailure | undefined;

  for (const releasePlan of touched) {
    const { release } = releasePlan;
    const from = releasePlan.target.revision;
    const to = releasePlan.current.revision;
    const interrupted = options.interruption();
    if (interrupted !== undefined) {
      results.push({ release, result: 'not-started', from, to, reason: `interrupted by ${interrupted.signal}` });
      notRestored.push(releasePlan);
      failure ??= new RollbackFailure(interrupted.kind, `${release}: roll forward not started: interrupted by ${interrupted.signal}`);
      continue;
    }
    const outcome = await runReleaseSteps(forwardSteps(options.bins, options.target, releasePlan, options), options);
    if (outcome.failure === undefined) {
      results.push({ release, result: 'rolled-forward', from, to, pods: outcome.pods });
      report(options, 'forward', releasePlan, from, to, outcome, 'rolled-forward');
      continue;
    }
    notRestored.push(releasePlan);
    failure ??= new RollbackFailure(outcome.failure.kind, `${release}: roll forward: ${outcome.failure.reason}`);
    if (!outcome.touched) {
      results.push({ release, result: 'not-started', from, to, reason: outcome.failure.reason });
      continue;
    }
    const result = outcome.failure.write ? 'forward-failed' : 'unhealthy';
    results.push({ release, result, from, to, reason: outcome.failure.reason });
    report(options, 'forward', releasePlan, from, to, outcome, result);
  }

  return { releases: results, notRestored, failure };
}

/**
 * After a failed helm rollback the release is either `failed` (helm recorded the
 * failure) or `pending-rollback` (helm was killed, or could not reach the API to
 * record the end): the operator needs to know which, and the way out of the second.
 */
function rollbackHint(release: string, result: StageResult, killed: boolean): { hint?: string } {
  if (result !== 'rollback-failed') return {};
  const check = `\`helm history ${release}\` (same --namespace and --kube-context)`;
  if (killed) {
    return {
      hint:
        `helm was killed mid-rollback, which can leave ${release} pending-rollback: check ${check}; ` +
        'if its newest revision is pending-rollback, run the rollback again with --allow-pending (and a --timeout that fits)',
    };
  }
  return { hint: `check ${check}: if helm could not record the end, the newest revision is pending-rollback and a new run needs --allow-pending` };
}
