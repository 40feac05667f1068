import { type FailureKind } from '../domain/errors.js';
import type { Budget } from '../process/budget.js';
import type { CommandGate } from '../process/gate.js';
import { succeeded, type CommandResult } from '../process/runner.js';
import { formatCommand, type CommandSpec } from '../domain/commandSpec.js';
import { describeFailure } from '../plan/readCluster.js';
import type { ReleaseStep } from './steps.js';
import type { WriteRefusal } from './compareBeforeWrite.js';

/** kubectl reads `--timeout 0s` as "wait forever": never hand a child less than a second. */
export const MIN_COMMAND_MS = 1_000;

export interface StepRunOptions {
  readonly gate: CommandGate;
  readonly budget: Budget;
  /** Set once the operator asked to stop: no new step starts. */
  readonly interruption: () => { kind: FailureKind; signal: string } | undefined;
  /** For the age of a lock another run holds. */
  readonly currentTime?: () => Date;
}

export interface StepsOutcome {
  /** Whether the write (`helm rollback`) ran at all, successfully or not. */
  readonly touched: boolean;
  /**
   * undefined when every step succeeded: the release is healthy. `interrupted`: the
   * write finished (a first interrupt lets it) and the run stopped before verifying;
   * `killed`: the write was ended by a signal or the watchdog, not by its own failure.
   */
  readonly failure:
    | {
        readonly write: boolean;
        readonly reason: string;
        readonly kind: FailureKind;
        readonly interrupted?: boolean;
        readonly killed?: boolean;
        /** Another run rolled the release back first: this run wrote nothing to it. */
        readonly lostRace?: boolean;
      }
    | undefined;
  readonly pods: string | null;
  /** Time to healthy: from the start of the write to the end of the last rollout check (to the failure, when one failed). */
  readonly durationMs: number;
  /** The release's lock was taken and could not be released: why, and the command that removes it. */
  readonly lockLeft?: string;
}

type StepFailure = NonNullable<StepsOutcome['failure']>;

const notVerified = (signal: string) => `interrupted by ${signal} after helm rollback finished; the rollout was not verified`;

/** Why a step that ran did not succeed: an interrupt, a failed write (exit 4) or an unhealthy rollout (exit 5). */
function failedStep(write: boolean, spec: CommandSpec, result: CommandResult, interruptedNow: ReturnType<StepRunOptions['interruption']>): StepFailure {
  if (interruptedNow !== undefined && write) {
    // A first interrupt leaves helm rollback to finish: if it failed anyway, say why.
    return { write, reason: `${describeFailure('helm rollback', result)} (interrupted by ${interruptedNow.signal})`, kind: interruptedNow.kind };
  }
  if (interruptedNow !== undefined) return { write, reason: notVerified(interruptedNow.signal), kind: interruptedNow.kind, interrupted: true };
  if (write) return { write, reason: describeFailure('helm rollback', result), kind: 'rollback', killed: result.timedOut || result.signal !== null };
  return { write, reason: describeFailure(spec.args.slice(0, 3).join(' '), result), kind: 'unhealthy' };
}

/**
 * Runs one release's steps: `helm rollback`, then the rollout status of every
 * workload (Deployment, StatefulSet, DaemonSet), all at once (kubectl's own `-l` form
 * would wait one after another), each with the budget left when it starts, then the Pod listing. Stops
 * at the first failure: no later step starts (waits already running finish).
 * Shared by the rollback and a drill's roll forward.
 */
export async function runReleaseSteps(steps: readonly ReleaseStep[], options: StepRunOptions): Promise<StepsOutcome> {
  const { gate, budget } = options;
  const started = budget.elapsedMs();
  let touched = false;
  let pods: string | null = null;
  // Healthy once the last rollout is verified: the Pod listing after it is evidence, not health.
  let verifiedAt = started;
  const done = (failure: StepsOutcome['failure']): StepsOutcome => ({
    touched,
    failure,
    pods,
    durationMs: Math.round((failure === undefined ? verifiedAt : budget.elapsedMs()) - started),
  });

  // The write ran to success: an interrupt from now on stops before verifying.
  let wrote = false;
  /** One step with the time then left; undefined when it succeeded. */
  const runStep = async (step: ReleaseStep): Promise<StepFailure | undefined> => {
    const write = step.kind === 'rollback';
    const interrupted = options.interruption();
    if (interrupted !== undefined) {
      return wrote
        ? { write: false, reason: notVerified(interrupted.signal), kind: interrupted.kind, interrupted: true }
        : { write, reason: `interrupted by ${interrupted.signal}`, kind: interrupted.kind };
    }
    const left = budget.remainingMs();
    if (left < MIN_COMMAND_MS) return { write: false, reason: 'the --timeout budget ran out', kind: 'unhealthy' };
    const spec = step.build(left);
    if (write) touched = true;
    const result = await gate.run(spec, where(step));
    const refusal = step.refusal?.(result);
    if (refusal !== undefined) {
      // Refused before the write, or the write failed before changing anything (helm creates
      // the new revision's record first): the release was not touched. Exit 3, as for planning.
      touched = false;
      return { write: false, reason: await refusalReason(step, refusal, options), kind: 'plan', lostRace: refusal.lostRace };
    }
    if (step.kind === 'lock') locked = true;
    if (step.kind === 'list-pods') {
      // The listing is evidence for the operator and the auditor, not a health check:
      // rollout status already judged health, so a failed listing is only reported.
      pods = succeeded(result) ? result.stdout : null;
      return undefined;
    }
    if (succeeded(result)) {
      verifiedAt = Math.max(verifiedAt, budget.elapsedMs());
      if (write) wrote = true;
      return undefined;
    }
    return failedStep(write, spec, result, options.interruption());
  };

  const stages = (['lock', 'compare', 'rollback', 'rollout-status', 'list-pods'] as const).map((kind) => steps.filter((s) => s.kind === kind));
  let locked = false;
  // After success, failure, interrupt or a spent budget alike (unlock has its own bound).
  const unlocked = async () => (locked ? releaseLock(gate, steps.find((s) => s.kind === 'unlock')) : undefined);
  let failure: StepFailure | undefined;
  try {
    for (const stage of stages) {
      // The first failing step in plan order, so the reason does not depend on timing.
      failure = (await Promise.all(stage.map(runStep))).find((f) => f !== undefined);
      if (failure !== undefined) break;
    }
  } catch (error) {
    await unlocked();
    throw error;
  }
  const outcome = done(failure);
  const lockLeft = await unlocked();
  return lockLeft === undefined ? outcome : { ...outcome, lockLeft };
}

const where = (step: ReleaseStep) => ({ phase: step.phase, release: step.release });

/** A refusal's reason; for a lock another run holds, read from that lock (whose, since when). */
async function refusalReason(step: ReleaseStep, refusal: WriteRefusal, options: StepRunOptions): Promise<string> {
  if (refusal.held !== true || step.held === undefined) return refusal.reason;
  const read = await options.gate.run(step.held.build(), where(step));
  return step.held.reason(read, (options.currentTime ?? (() => new Date()))());
}

/** Deletes the release's lock; undefined when done, else why not and the command that does it. */
async function releaseLock(gate: CommandGate, unlock: ReleaseStep | undefined): Promise<string | undefined> {
  if (unlock === undefined) return undefined;
  const spec = unlock.build(0);
  const result = await gate.run(spec, where(unlock)).catch((error: unknown) => ({ failed: String(error) }));
  if ('failed' in result) return `the lock on ${unlock.release} was not released (${result.failed}): remove it with ${formatCommand(spec)}`;
  if (succeeded(result)) return undefined;
  return `the lock on ${unlock.release} was not released (${describeFailure('kubectl delete configmap', result)}): remove it with ${formatCommand(spec)}`;
}
