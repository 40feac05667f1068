import { exitCodeFor } from '../cli/exitCodes.js';
import type { RollbackFailure } from '../domain/errors.js';
import type { ReleaseResult } from '../execute/executeRollback.js';
import { buildAnnotation, postAnnotation, type AnnotationResult, type AnnotationTarget } from './grafana.js';

export interface RunFacts {
  readonly startedAtMs: number;
  readonly endedAtMs: number;
  readonly user: string;
  readonly host: string;
  readonly context: string;
  readonly namespace: string;
  readonly targetEnv: string | undefined;
  readonly releases: readonly ReleaseResult[];
  readonly failure: RollbackFailure | undefined;
}

/** `--annotate` after an --execute, whatever its outcome; never throws. */
export function annotateRun(target: AnnotationTarget, facts: RunFacts): Promise<AnnotationResult> {
  const payload = buildAnnotation(
    {
      ...facts,
      releases: facts.releases.map((r) => ({ release: r.release, result: r.result, ...('from' in r ? { from: r.from, to: r.to } : {}) })),
      outcome:
        facts.failure === undefined
          ? { status: 'rolled-back', exitCode: 0, message: 'every planned release rolled back and healthy' }
          : { status: facts.failure.kind, exitCode: exitCodeFor(facts.failure.kind), message: facts.failure.message },
    },
    target,
  );
  return postAnnotation(target, payload, (url, init) => fetch(url, init));
}
