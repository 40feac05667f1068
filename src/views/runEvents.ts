import { isEventType, type EventSink, type TranscriptEvent } from '../domain/events.js';
import type { PlanProblem } from '../domain/plan.js';
import type { ReleaseManifestDiff, RestoreReport } from '../domain/records.js';
import type { Settings } from '../domain/settings.js';
import type { ForwardResult, ReadinessResult, ReleaseResult, Stage } from '../domain/vocabulary.js';
import type { CommandRecord } from '../process/gate.js';
import type { AnnotationResult } from '../tools/grafana.js';

/** A write (or read) --execute runs, as a dry-run lists it and the JSON document shows it. */
export interface PlannedCommand {
  readonly release: string;
  readonly effect: 'read' | 'write';
  readonly command: string;
  readonly argv: readonly string[];
}

/**
 * What a run tells its views besides what the record keeps: facts the terminal, the
 * JSON document and the job summary show but the transcript does not hold (or holds
 * in another form). Never written to the transcript.
 */
export type ViewEvent =
  /** The values a config file can default, with their origins; again once the kubeconfig names the context. */
  | {
      readonly type: 'settings';
      readonly settings: Settings;
      readonly context: string | undefined;
      readonly contextSource: string | undefined;
      /** The context is settled (given, or read from the kubeconfig): what a dry-run shows. */
      readonly resolved: boolean;
    }
  /** Planning refused the run: per release, why. */
  | { readonly type: 'problems'; readonly problems: readonly PlanProblem[] }
  /** The plan is ready for review: what --execute runs, and --diff's diffs. */
  | { readonly type: 'reviewed'; readonly plannedCommands: readonly PlannedCommand[]; readonly diff: readonly ReleaseManifestDiff[] | null }
  /** Every release was already rolled back: nothing to write, so nothing to confirm. */
  | { readonly type: 'nothing-to-confirm' }
  /** A drill's rollback failed: every touched release is rolled forward again all the same. */
  | { readonly type: 'forward-after-failure' }
  /** The rollback stage is over: each release's result, --check-url's checks and --atomic's restore. */
  | { readonly type: 'rolled-back'; readonly releases: readonly ReleaseResult[]; readonly readiness: readonly ReadinessResult[]; readonly restore: RestoreReport | null }
  /** A drill's roll forward is over. */
  | { readonly type: 'rolled-forward'; readonly forward: readonly ForwardResult[] }
  /**
   * The execution is over and its state recorded: the commands left for a human to put
   * things back, and in a drill the first stage that failed, which decides the exit code.
   */
  | { readonly type: 'restore-commands'; readonly restoreCommands: readonly string[]; readonly failedStage: Stage | undefined }
  /** --annotate: what was posted and how it went. */
  | { readonly type: 'annotated'; readonly annotation: AnnotationResult }
  /** A command's record as the gate keeps it (its output bounded), in the JSON document; `purpose` says what it was for. */
  | { readonly type: 'command-record'; readonly record: CommandRecord; readonly purpose: string };

/** Everything a run emits, in the order it happens. */
export type RunEvent = TranscriptEvent | ViewEvent;

export interface RunSink {
  emit(event: RunEvent): void;
}

export function isTranscriptEvent(event: RunEvent): event is TranscriptEvent {
  return isEventType(event.type);
}

/** One sink feeding several: the record takes only its own events, the views all of them. */
export function fanOut(record: EventSink, ...views: readonly RunSink[]): RunSink & EventSink {
  const emit = (event: RunEvent) => {
    if (isTranscriptEvent(event)) record.record(event);
    for (const view of views) view.emit(event);
  };
  return { emit, record: emit };
}
