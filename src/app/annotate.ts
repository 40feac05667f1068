import { outcomeOf } from '../domain/outcome.js';
import type { RollbackFailure } from '../domain/errors.js';
import type { ReleaseResult, Stage } from '../domain/vocabulary.js';
import { buildAnnotation, postAnnotation, type AnnotationFacts, type AnnotationResult, type AnnotationTarget } from '../tools/grafana.js';

/** The annotation's facts as a run has them: its release results and its failure, if any. */
export interface RunFacts extends Omit<AnnotationFacts, 'releases' | 'outcome'> {
  readonly releases: readonly ReleaseResult[];
  readonly failure: RollbackFailure | undefined;
  readonly drill: boolean;
  readonly failedStage: Stage | undefined;
}

/** `--annotate` after an --execute, whatever its outcome; never throws. */
export function annotateRun(target: AnnotationTarget, facts: RunFacts): Promise<AnnotationResult> {
  const payload = buildAnnotation(
    {
      ...facts,
      releases: facts.releases.map((r) => ({ release: r.release, result: r.result, ...('from' in r ? { from: r.from, to: r.to } : {}) })),
      outcome: outcomeOf({ mode: 'execute', drill: facts.drill, failure: facts.failure, failedStage: facts.failedStage, releases: facts.releases }),
    },
    target,
  );
  return postAnnotation(target, payload, (url, init) => fetch(url, init));
}
