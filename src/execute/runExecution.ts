import { RollbackFailure } from '../domain/errors.js';
import { formatDuration } from '../domain/duration.js';
import type { TranscriptEvent } from '../domain/events.js';
import type { RollbackPlan } from '../plan/types.js';
import type { ReadinessResult } from './readiness.js';
import type { Budget } from '../process/budget.js';
import { executeRollback, type ExecuteOptions, type ExecutionReport } from './executeRollback.js';
import { restoreReleases, type RestoreReport } from './restore.js';

export interface ExecutionOptions extends ExecuteOptions {
  /** `--atomic`: on a failure, put every release the run changed back. */
  readonly atomic: boolean;
  /** The restore's own budget, started when the restore starts. */
  readonly startRestoreBudget: () => Budget;
  /** The --timeout printed on commands a human must run. */
  readonly manualTimeoutMs: number;
  /** `--check-url`: run after every rollout succeeded; absent when none was given. */
  readonly checkReadiness?: () => Promise<readonly ReadinessResult[]>;
  readonly record: (event: TranscriptEvent) => void;
  readonly now: () => string;
}

export interface ExecutionOutcome {
  readonly report: ExecutionReport;
  readonly readiness: readonly ReadinessResult[];
  readonly restore: RestoreReport | undefined;
  readonly failure: RollbackFailure | undefined;
}

/**
 * The whole --execute: roll back and verify (executeRollback), then the readiness
 * checks, then — with --atomic, after any failure that is not an interrupt — the
 * restore. Exit 4/5 keep their meaning when the restore worked; a failed restore is 6.
 */
export async function runExecution(plan: RollbackPlan, options: ExecutionOptions): Promise<ExecutionOutcome> {
  const report = await executeRollback(plan, options);
  let failure = report.failure;

  let readiness: readonly ReadinessResult[] = [];
  if (failure === undefined && options.checkReadiness !== undefined) {
    readiness = await options.checkReadiness();
    for (const check of readiness) options.record({ type: 'readiness-check', time: options.now(), ...check });
    const failed = readiness.filter((check) => !check.ok);
    const interrupted = options.interruption();
    if (interrupted !== undefined && failed.length > 0) {
      failure = new RollbackFailure(interrupted.kind, `interrupted by ${interrupted.signal} during the readiness checks`);
    } else if (failed.length > 0) {
      failure = new RollbackFailure('unhealthy', `readiness check failed: ${failed.map((c) => `${c.url} (${c.lastError})`).join(', ')}`);
    }
  }

  // An interrupted run is not restored: the operator asked the tool to stop changing
  // the cluster. The summary still prints the restore commands.
  const interrupted = failure !== undefined && failure.kind.startsWith('interrupted');
  if (failure === undefined || !options.atomic || interrupted || report.touched.length === 0) {
    return { report, readiness, restore: undefined, failure };
  }

  const budget = options.startRestoreBudget();
  options.record({
    type: 'restore-start',
    time: options.now(),
    reason: failure.message,
    releases: [...report.touched].reverse().map((r) => ({ release: r.release, to: r.current.revision })),
    budget: formatDuration(budget.totalMs),
  });
  const restore = await restoreReleases(report.touched, {
    gate: options.gate,
    bins: options.bins,
    target: options.target,
    budget,
    manualTimeoutMs: options.manualTimeoutMs,
    wait: options.wait,
  });
  options.record({ type: 'restore-end', time: options.now(), ok: restore.ok, releases: restore.releases, manualCommands: restore.manualCommands });

  const restored = restore.releases.filter((r) => r.result === 'restored').map((r) => `${r.release} to ${r.to}`);
  if (restore.ok) {
    failure = new RollbackFailure(failure.kind, `${failure.message}; --atomic restored ${restored.join(', ')}`);
  } else {
    const failed = restore.releases.filter((r) => r.result === 'restore-failed');
    failure = new RollbackFailure(
      'restore-failed',
      `${failure.message}; --atomic could not restore ${failed.map((r) => `${r.release} (${r.reason})`).join(', ')}`,
      { details: ['run these commands to finish the restore:', ...restore.manualCommands.map((c) => `  ${c}`)], hint: 'the summary and the transcript list what was restored' },
    );
  }
  return { report, readiness, restore, failure };
}
