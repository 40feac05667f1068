import { hostname } from 'node:os';
import { annotateRun } from './annotate.js';
import type { RollbackFailure } from '../domain/errors.js';
import type { Stage } from '../domain/vocabulary.js';
import type { ExecuteOptions } from '../execute/executeRollback.js';
import type { ExecutionOptions } from '../execute/runExecution.js';
import { checkUrls } from '../execute/readiness.js';
import { startBudget } from '../process/budget.js';
import { whoAmI } from '../process/whoAmI.js';
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
    record: (event) => run.transcript.record(event),
    now: run.time,
  };
}

/** --annotate after an --execute, whatever its outcome; a failed post is only a warning. */
export async function annotate(run: RunContext, startedAtMs: number, failure: RollbackFailure | undefined, failedStage?: Stage): Promise<void> {
  const { config, deps, state, target } = run;
  if (config.annotate === undefined) return;
  const annotation = await annotateRun(config.annotate, {
    startedAtMs, endedAtMs: deps.clock.now().getTime(), user: whoAmI(), host: hostname(), context: target.context,
    namespace: target.namespace, targetEnv: config.targetEnv, releases: state.releases, failure,
    drill: config.drill, failedStage,
  });
  state.annotation = annotation;
  const { url, ok, status, id, error, payload } = annotation;
  run.transcript.record({ type: 'annotation', time: run.time(), url, ok, status, id, error, tags: payload.tags, text: payload.text });
  if (!ok) run.warn(`the Grafana annotation was not posted: ${error}`);
  else if (deps.textOutput) deps.writeOut(`Grafana annotation posted (id ${id ?? '?'})\n`);
}
