import { formatCommand, type ClusterTarget, type CommandSpec } from '../domain/commandSpec.js';
import type { Phase } from '../domain/vocabulary.js';
import type { Binaries } from '../plan/readCluster.js';
import type { ReleaseRollback } from '../plan/types.js';
import type { CommandResult } from '../process/runner.js';
import { helmNewestRevision, helmRollback, type WaitStrategy } from '../tools/helm.js';
import { judgeNewestRevision, lostRaceInRollback, type WriteRefusal } from './compareBeforeWrite.js';
import {
  kubectlCreateLock,
  kubectlDeleteLock,
  kubectlGetLock,
  kubectlGetPods,
  kubectlRolloutStatus,
  kubectlWaitPodsReady,
  type LockIdentity,
} from '../tools/kubectl.js';
import { describeHeldLock, lockRefusal } from './releaseLock.js';

/**
 * One step of rolling a release back. The command is built when the step runs,
 * with the time then left; a dry-run builds the same steps with the full budget,
 * so what it prints is exactly what --execute runs.
 */
export interface ReleaseStep {
  readonly kind: 'lock' | 'compare' | 'rollback' | 'rollout-status' | 'list-pods' | 'unlock';
  readonly phase: Phase;
  readonly release: string;
  build(timeoutMs: number): CommandSpec;
  /** Why the release must not be written after this step's command ran, or undefined to go on. */
  refusal?(result: CommandResult): WriteRefusal | undefined;
  /** A lock held by another run: the read that says whose, and the reason made of it. */
  readonly held?: { build(): CommandSpec; reason(result: CommandResult, now: Date): string };
}

/** How helm waits: bare `--wait` unless helm 4 was asked for a strategy. */
export interface StepOptions {
  readonly wait?: WaitStrategy | undefined;
  /**
   * Who this run is, carried in each release's lock: with it, a rollback takes the
   * release's lock before the read before the write and releases it after its waits.
   */
  readonly lock?: LockIdentity | undefined;
}

export function rollbackSteps(bins: Binaries, target: ClusterTarget, plan: ReleaseRollback, options: StepOptions = {}): ReleaseStep[] {
  return releaseSteps(bins, target, plan, plan.target.revision, 'rollback', options);
}

/**
 * A drill's roll forward: back to the revision the release had before the drill,
 * by explicit number (helm would otherwise pick current − 1, the rollback itself),
 * with the same waits and checks as the rollback.
 */
export function forwardSteps(bins: Binaries, target: ClusterTarget, plan: ReleaseRollback, options: StepOptions = {}): ReleaseStep[] {
  return releaseSteps(bins, target, plan, plan.current.revision, 'forward', options);
}

function releaseSteps(
  bins: Binaries,
  target: ClusterTarget,
  plan: ReleaseRollback,
  revision: number,
  writePhase: 'rollback' | 'forward',
  options: StepOptions,
): ReleaseStep[] {
  const { release } = plan;
  // Compare before write: only the rollback, whose target was chosen from the planning read.
  // A drill's roll forward goes to its explicit revision before the drill, whatever came since.
  const compare: ReleaseStep[] =
    writePhase === 'rollback'
      ? [{ kind: 'compare', phase: 'rollback', release, build: () => helmNewestRevision(bins.helm, target, release), refusal: (result) => judgeNewestRevision(plan, result) }]
      : [];
  const steps: ReleaseStep[] = [
    ...compare,
    {
      kind: 'rollback',
      phase: writePhase,
      release,
      build: (timeoutMs) => {
        const spec = helmRollback(bins.helm, target, release, revision, timeoutMs, options.wait);
        return writePhase === 'forward' ? { ...spec, purpose: `roll ${release} forward to revision ${revision}, its revision before the drill` } : spec;
      },
      ...(writePhase === 'rollback' ? { refusal: (result: CommandResult) => lostRaceInRollback(plan, result) } : {}),
    },
    ...waitSteps(bins, target, plan, 'verify'),
    {
      kind: 'list-pods',
      phase: 'verify',
      release,
      build: (timeoutMs) => kubectlGetPods(bins.kubectl, target, release, timeoutMs),
    },
  ];
  return writePhase === 'rollback' && options.lock !== undefined ? withLock(bins, target, release, options.lock, steps) : steps;
}

/**
 * Two runs of one release started together: each read before its write can pass before
 * either writes, and helm takes no expected revision. The release's lock, taken before
 * that read and released after the waits, lets only one of them through.
 */
function withLock(bins: Binaries, target: ClusterTarget, release: string, identity: LockIdentity, steps: ReleaseStep[]): ReleaseStep[] {
  const unlock = kubectlDeleteLock(bins.kubectl, target, release);
  return [
    {
      kind: 'lock',
      phase: 'rollback',
      release,
      build: (timeoutMs) => kubectlCreateLock(bins.kubectl, target, release, identity, timeoutMs),
      refusal: (result) => lockRefusal(release, result),
      held: {
        build: () => kubectlGetLock(bins.kubectl, target, release),
        reason: (result, now) => describeHeldLock(release, result, now, formatCommand({ file: unlock.file, args: unlock.args.slice(0, unlock.args.indexOf('--ignore-not-found')) })),
      },
    },
    ...steps,
    { kind: 'unlock', phase: 'rollback', release, build: () => unlock },
  ];
}

/** The command that puts a release back where it was before this run: an explicit revision, same waits. */
export function restoreCommand(bins: Binaries, target: ClusterTarget, plan: ReleaseRollback, timeoutMs: number, options: StepOptions = {}): CommandSpec {
  return helmRollback(bins.helm, target, plan.release, plan.current.revision, timeoutMs, options.wait);
}

/**
 * `--atomic`'s way back for one release: roll it forward to the revision it had before
 * the run (explicit), then the same waits as the rollback (rollout status per workload).
 */
export function restoreSteps(bins: Binaries, target: ClusterTarget, plan: ReleaseRollback, options: StepOptions = {}): ReleaseStep[] {
  const { release } = plan;
  return [
    { kind: 'rollback', phase: 'restore', release, build: (timeoutMs) => restoreCommand(bins, target, plan, timeoutMs, options) },
    ...waitSteps(bins, target, plan, 'restore'),
  ];
}

/**
 * One wait per workload, run together: `kubectl rollout status <kind>/<name>`, or for an
 * OnDelete StatefulSet or DaemonSet (which rollout status cannot report on) a wait for
 * its Pods to be ready.
 */
function waitSteps(bins: Binaries, target: ClusterTarget, plan: ReleaseRollback, phase: 'verify' | 'restore'): ReleaseStep[] {
  return plan.deployments.map(
    (workload): ReleaseStep => ({
      kind: 'rollout-status',
      phase,
      release: plan.release,
      build: (timeoutMs) =>
        workload.onDelete === true && workload.podSelector !== undefined
          ? kubectlWaitPodsReady(bins.kubectl, target, workload, workload.podSelector, timeoutMs)
          : kubectlRolloutStatus(bins.kubectl, target, workload, timeoutMs),
    }),
  );
}
