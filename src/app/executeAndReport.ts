import type { ExecuteOptions } from '../execute/executeRollback.js';
import type { ExecutionOptions } from '../execute/runExecution.js';
import { checkUrls } from '../execute/readiness.js';
import { startBudget } from '../process/budget.js';
import type { RunContext } from './runContext.js';

/** --check-url with the real fetch and timers, within what is left of --timeout. */
function readinessChecker(run: RunContext) {
  const { config, deps, budget } = run;
  if (config.checkUrls.length === 0) return {};
  return {
    checkReadiness: () =>
      checkUrls(config.checkUrls, {
        budget,
        fetch: (url, init) => fetch(url, init),
        sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
        monotonicMs: () => deps.clock.monotonicMs(),
        stopped: () => deps.interrupts.current() !== undefined,
      }),
  };
}

/** The rollback stage's options plus what --atomic and --check-url add to it. */
export function executionOptions(run: RunContext, base: ExecuteOptions): ExecutionOptions {
  const { config, deps } = run;
  return {
    ...base,
    atomic: config.atomic,
    // The restore gets a budget of its own, as long as --timeout: leaving production
    // half restored because the rollback used the time up would be the worse outcome.
    startRestoreBudget: () => startBudget(config.timeoutMs, deps.clock),
    manualTimeoutMs: config.timeoutMs,
    ...readinessChecker(run),
    record: (event) => run.sink.record(event),
    now: run.time,
  };
}
