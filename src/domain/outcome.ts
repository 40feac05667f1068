import type { FailureKind, RollbackFailure } from './errors.js';
import type { EventOf } from './events.js';
import type { OutcomeStatus, ReleaseResult, RunMode, Stage } from './vocabulary.js';

/** The documented exit codes; README.md and --help print this table. */
export const EXIT_CODES = {
  success: 0,
  internal: 1,
  usage: 2,
  plan: 3,
  rollback: 4,
  unhealthy: 5,
  'restore-failed': 6,
  'interrupted-sigint': 130,
  'interrupted-sigterm': 143,
} as const satisfies Record<FailureKind | 'success', number>;

export function exitCodeFor(kind: FailureKind): number {
  return EXIT_CODES[kind];
}

const STATUS: Record<FailureKind, OutcomeStatus> = {
  usage: 'refused',
  plan: 'plan-refused',
  rollback: 'rollback-failed',
  unhealthy: 'unhealthy',
  'restore-failed': 'restore-failed',
  'interrupted-sigint': 'interrupted',
  'interrupted-sigterm': 'interrupted',
  internal: 'error',
};

/** A drill whose roll forward failed: the rollback itself went well. */
const FORWARD_STATUS: Partial<Record<FailureKind, OutcomeStatus>> = { rollback: 'forward-failed', unhealthy: 'forward-unhealthy' };

/** How a run ended, as every output states it. */
export interface Outcome {
  readonly status: OutcomeStatus;
  readonly exitCode: number;
  readonly message: string;
  readonly hint: string | null;
  readonly details: readonly string[];
}

export interface OutcomeFacts {
  /** null when the run stopped before its mode was known (a usage error). */
  readonly mode: RunMode | null;
  readonly drill: boolean;
  readonly failure: RollbackFailure | undefined;
  /** The drill stage whose failure decides the outcome, when one failed. */
  readonly failedStage?: Stage | undefined;
  /** Per-release results of an --execute: the message says which needed no write. */
  readonly releases?: readonly ReleaseResult[];
}

/** The outcome line of a successful --execute: says which releases were already rolled back. */
function executedMessage(releases: readonly ReleaseResult[]): string {
  const already = releases.filter((r) => r.result === 'already-rolled-back' || r.result === 'already-applied');
  if (already.length === 0) return 'every planned release rolled back and healthy';
  const now = releases.filter((r) => r.result === 'rolled-back').length;
  const names = already.map((r) => r.release).join(', ');
  if (now === 0) return `every release was already rolled back (${names}); nothing was changed`;
  return `every release is rolled back: ${now} now and healthy, ${already.length} already before this run (${names})`;
}

/** The one place a run's status, exit code and message are decided. */
export function outcomeOf(facts: OutcomeFacts): Outcome {
  const { failure } = facts;
  if (failure !== undefined) {
    const forward = facts.failedStage === 'forward' ? FORWARD_STATUS[failure.kind] : undefined;
    return { status: forward ?? STATUS[failure.kind], exitCode: exitCodeFor(failure.kind), message: failure.message, hint: failure.hint ?? null, details: failure.details };
  }
  const ok = (status: OutcomeStatus, message: string): Outcome => ({ status, exitCode: EXIT_CODES.success, message, hint: null, details: [] });
  if (facts.mode === 'execute' && facts.drill) {
    return ok('drilled', 'drill complete: every planned release rolled back and healthy, then rolled forward to its revision before the drill and healthy');
  }
  if (facts.mode === 'execute') return ok('rolled-back', executedMessage(facts.releases ?? []));
  return ok('planned', 'dry-run complete; nothing was changed');
}

/** The transcript's last event: the outcome, with each release's result and what is left for a human to run. */
export function outcomeEvent(
  outcome: Outcome,
  facts: { readonly time: string; readonly durationMs: number; readonly releases: readonly ReleaseResult[]; readonly restoreCommands: readonly string[] },
): EventOf<'outcome'> {
  return {
    type: 'outcome',
    time: facts.time,
    status: outcome.status,
    exitCode: outcome.exitCode,
    message: outcome.message,
    ...(outcome.details.length > 0 ? { details: outcome.details } : {}),
    durationMs: facts.durationMs,
    releases: facts.releases.map((r) => ({ release: r.release, result: r.result, ...('from' in r ? { from: r.from, to: r.to } : {}) })),
    restoreCommands: facts.restoreCommands,
  };
}
