import { formatCommand, type ClusterTarget } from '../domain/commandSpec.js';
import type { Budget } from '../process/budget.js';
import type { CommandGate } from '../process/gate.js';
import { succeeded } from '../process/runner.js';
import { describeFailure, type Binaries } from '../plan/readCluster.js';
import type { ReleaseRollback } from '../plan/types.js';
import type { RestoreReport } from '../domain/records.js';
import type { RestoreResult } from '../domain/vocabulary.js';
import { MIN_COMMAND_MS } from './executeRollback.js';
import { restoreSteps, type StepOptions } from './steps.js';

export type { RestoreReport };

export interface RestoreOptions extends StepOptions {
  readonly gate: CommandGate;
  readonly bins: Binaries;
  readonly target: ClusterTarget;
  /** The restore's own budget (see README, "--atomic"): not what the rollback left over. */
  readonly budget: Budget;
  /** The --timeout each manual command is printed with. */
  readonly manualTimeoutMs: number;
}

/**
 * `--atomic`: puts every release the run changed back to the revision recorded in the
 * plan before the first write, last changed first (k, k−1, …, 1), each with an explicit
 * revision and the same waits as the rollback. A release whose restore fails does not
 * stop the others: every release put back is one fewer for the human to fix.
 */
export async function restoreReleases(touched: readonly ReleaseRollback[], options: RestoreOptions): Promise<RestoreReport> {
  const { gate, bins, target, budget } = options;
  const releases: RestoreResult[] = [];
  const manualCommands: string[] = [];

  for (const plan of [...touched].reverse()) {
    const to = plan.current.revision;
    let reason: string | undefined;
    for (const step of restoreSteps(bins, target, plan, options)) {
      const left = budget.remainingMs();
      if (left < MIN_COMMAND_MS) {
        reason = 'the restore budget ran out';
        break;
      }
      const spec = step.build(left);
      const result = await gate.run(spec, { phase: 'restore', release: plan.release });
      if (!succeeded(result)) {
        reason = describeFailure(`${spec.tool} ${spec.args.slice(0, 3).join(' ')}`, result);
        break;
      }
    }
    if (reason === undefined) {
      releases.push({ release: plan.release, result: 'restored', to });
      continue;
    }
    releases.push({ release: plan.release, result: 'restore-failed', to, reason });
    // The whole sequence, not just the failed step: a human re-running it needs the waits too.
    manualCommands.push(...restoreSteps(bins, target, plan, options).map((step) => formatCommand(step.build(options.manualTimeoutMs))));
  }
  return { releases, ok: manualCommands.length === 0, manualCommands };
}
