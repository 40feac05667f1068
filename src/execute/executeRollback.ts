import type { ClusterTarget } from '../commands/spec.js';
import { RollbackFailure, type FailureKind } from '../domain/errors.js';
import type { Budget } from '../run/budget.js';
import type { CommandGate } from '../run/gate.js';
import { succeeded } from '../run/runner.js';
import { describeFailure, type Binaries } from '../plan/readCluster.js';
import type { ReleaseRollback, RollbackPlan } from '../plan/types.js';
import { rollbackSteps } from './steps.js';

export type ReleaseResult =
  | { readonly release: string; readonly result: 'rolled-back'; readonly from: number; readonly to: number; readonly pods: string | null }
  | { readonly release: string; readonly result: 'rollback-failed' | 'unhealthy'; readonly from: number; readonly to: number; readonly reason: string }
  | { readonly release: string; readonly result: 'not-started'; readonly from: number; readonly to: number }
  | { readonly release: string; readonly result: 'skipped'; readonly reason: string };

export interface ExecutionReport {
  readonly releases: readonly ReleaseResult[];
  /** Releases on which `helm rollback` ran (successfully or not): they may need restoring. */
  readonly touched: readonly ReleaseRollback[];
  readonly failure: RollbackFailure | undefined;
}

/** kubectl reads `--timeout 0s` as "wait forever": never hand a child less than a second. */
export const MIN_COMMAND_MS = 1_000;

export interface ExecuteOptions {
  readonly gate: CommandGate;
  readonly bins: Binaries;
  readonly target: ClusterTarget;
  readonly budget: Budget;
  /** Set once the operator asked to stop: no new step starts. */
  readonly interruption: () => { kind: FailureKind; signal: string } | undefined;
}

/**
 * Rolls the planned releases back in order, then verifies each: helm rollback,
 * rollout status of every Deployment found while planning, the Pod listing.
 * Stops at the first failure; later releases are not touched.
 */
export async function executeRollback(plan: RollbackPlan, options: ExecuteOptions): Promise<ExecutionReport> {
  const { gate, bins, target, budget } = options;
  const results: ReleaseResult[] = [];
  const touched: ReleaseRollback[] = [];
  let failure: RollbackFailure | undefined;

  for (const releasePlan of plan.releases) {
    if (releasePlan.action === 'skip') {
      results.push({ release: releasePlan.release, result: 'skipped', reason: releasePlan.reason });
      continue;
    }
    const from = releasePlan.current.revision;
    const to = releasePlan.target.revision;
    const { release } = releasePlan;
    if (failure !== undefined) {
      results.push({ release, result: 'not-started', from, to });
      continue;
    }

    let pods: string | null = null;
    let stepFailure: { result: 'rollback-failed' | 'unhealthy'; reason: string; kind: FailureKind } | undefined;
    for (const step of rollbackSteps(bins, target, releasePlan)) {
      const interrupted = options.interruption();
      if (interrupted !== undefined) {
        stepFailure = { result: step.kind === 'rollback' ? 'rollback-failed' : 'unhealthy', reason: `interrupted by ${interrupted.signal}`, kind: interrupted.kind };
        break;
      }
      const left = budget.remainingMs();
      if (left < MIN_COMMAND_MS) {
        stepFailure = { result: 'unhealthy', reason: 'the --timeout budget ran out', kind: 'unhealthy' };
        break;
      }
      const spec = step.build(left);
      if (step.kind === 'rollback') touched.push(releasePlan);
      const result = await gate.run(spec, { phase: step.phase, release });
      if (step.kind === 'list-pods') {
        // The listing is evidence for the operator and the auditor, not a health check:
        // rollout status already judged health, so a failed listing is only reported.
        pods = succeeded(result) ? result.stdout : null;
        continue;
      }
      if (!succeeded(result)) {
        const interruptedNow = options.interruption();
        if (interruptedNow !== undefined) {
          stepFailure = { result: step.kind === 'rollback' ? 'rollback-failed' : 'unhealthy', reason: `interrupted by ${interruptedNow.signal}`, kind: interruptedNow.kind };
        } else if (step.kind === 'rollback') {
          stepFailure = { result: 'rollback-failed', reason: describeFailure('helm rollback', result), kind: 'rollback' };
        } else {
          stepFailure = { result: 'unhealthy', reason: describeFailure(spec.args.slice(0, 3).join(' '), result), kind: 'unhealthy' };
        }
        break;
      }
    }

    if (stepFailure === undefined) {
      results.push({ release, result: 'rolled-back', from, to, pods });
      continue;
    }
    const wasTouched = touched.includes(releasePlan);
    results.push(
      wasTouched
        ? { release, result: stepFailure.result, from, to, reason: stepFailure.reason }
        : { release, result: 'not-started', from, to },
    );
    failure = new RollbackFailure(stepFailure.kind, `${release}: ${stepFailure.reason}`);
  }

  return { releases: results, touched, failure };
}
