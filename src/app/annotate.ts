import { hostname } from 'node:os';
import type { RollbackFailure } from '../domain/errors.js';
import { outcomeOf } from '../domain/outcome.js';
import type { ReleaseResult, Stage } from '../domain/vocabulary.js';
import { whoAmI } from '../process/whoAmI.js';
import { postAnnotation } from '../tools/grafana.js';
import { buildAnnotation } from '../views/annotation.js';
import type { RunContext } from './runContext.js';

/** What the annotation is about: the run's release results and how it ended. */
export interface AnnotatedRun {
  readonly startedAtMs: number;
  readonly releases: readonly ReleaseResult[];
  readonly failure: RollbackFailure | undefined;
  readonly failedStage?: Stage | undefined;
}

/**
 * --annotate after an --execute, whatever its outcome, saying the outcome every other
 * output says (outcomeOf). A failed post is only a warning: it never fails the run.
 */
export async function annotate(run: RunContext, done: AnnotatedRun): Promise<void> {
  const { config, deps, target } = run;
  if (config.annotate === undefined) return;
  const outcome = outcomeOf({ mode: 'execute', drill: config.drill, failure: done.failure, failedStage: done.failedStage, releases: done.releases });
  const payload = buildAnnotation(
    {
      startedAtMs: done.startedAtMs, endedAtMs: deps.clock.now().getTime(), user: whoAmI(), host: hostname(), context: target.context,
      namespace: target.namespace, targetEnv: config.targetEnv,
      releases: done.releases.map((r) => ({ release: r.release, result: r.result, ...('from' in r ? { from: r.from, to: r.to } : {}) })),
      outcome,
    },
    config.annotate,
  );
  const annotation = await postAnnotation(config.annotate, payload, (url, init) => fetch(url, init));
  run.sink.emit({ type: 'annotated', annotation });
  const { url, ok, status, id, error } = annotation;
  run.sink.emit({ type: 'annotation', time: run.time(), url, ok, status, id, error, tags: payload.tags, text: payload.text });
  if (!ok) run.warn(`the Grafana annotation was not posted: ${error}`);
}
