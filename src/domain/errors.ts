/**
 * Every failure the tool reports on purpose is a RollbackFailure with a kind.
 * Only src/cli/exit.ts turns kinds into exit codes; everything else throws.
 */
export type FailureKind =
  /** bad flags or values, a guard refusal, a declined confirmation: nothing touched (exit 2) */
  | 'usage'
  /** planning refused the run: nothing touched (exit 3) */
  | 'plan'
  /** a rollback command failed: the cluster may be partially rolled back (exit 4) */
  | 'rollback'
  /** rolled back, but not healthy within the budget (exit 5) */
  | 'unhealthy'
  /** --atomic tried to restore the releases it had changed, and that failed too (exit 6) */
  | 'restore-failed'
  /** interrupted by SIGINT / SIGTERM (exit 130 / 143) */
  | 'interrupted-sigint'
  | 'interrupted-sigterm'
  /** a bug or an impossible state (exit 1) */
  | 'internal';

export class RollbackFailure extends Error {
  readonly kind: FailureKind;
  readonly hint: string | undefined;
  /** Extra lines (e.g. one per refused release) shown under the message. */
  readonly details: readonly string[];

  constructor(kind: FailureKind, message: string, options: { hint?: string; details?: readonly string[] } = {}) {
    super(message);
    this.name = 'RollbackFailure';
    this.kind = kind;
    this.hint = options.hint;
    this.details = options.details ?? [];
  }
}

export const usageError = (message: string, hint?: string) =>
  new RollbackFailure('usage', message, hint === undefined ? {} : { hint });

/** Anything thrown, as a failure: a RollbackFailure as it is, anything else an internal error (a bug). */
export function asFailure(error: unknown): RollbackFailure {
  if (error instanceof RollbackFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RollbackFailure('internal', `unexpected internal error: ${message}`, {
    hint: 'please report this with the transcript',
  });
}
