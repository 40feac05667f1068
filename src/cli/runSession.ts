import type { ChalkInstance } from 'chalk';
import type { RunConfig } from '../app/runConfig.js';
import type { RunOutcome } from '../app/rollback.js';
import type { RollbackFailure } from '../domain/errors.js';
import { outcomeEvent, outcomeOf, type Outcome } from '../domain/outcome.js';
import { escapeControls, jsonTerminalSafe } from '../domain/sanitize.js';
import type { Redactor } from '../process/redact.js';
import { runDocument } from '../views/jsonDocument.js';
import { renderFailure } from '../views/renderOutcome.js';
import { fanOut, type RunEvent, type RunSink } from '../views/runEvents.js';
import { NO_FACTS, withEvent, type RunFacts } from '../views/runFacts.js';
import { deferredTranscript, reportPathFor, writeTextView, type DeferredTranscript, type Transcript } from '../views/transcript.js';
import { produceReport } from './reportCommand.js';
import type { SignatureResult } from './signTranscript.js';
import { appendStepSummary } from './stepSummaryFile.js';
import type { CliDeps } from './cliDeps.js';

/** What the CLI says on stderr besides the views: a plain note, or a warning that changes no outcome. */
export function stderrSay(stderr: { write(text: string): void }, errChalk: ChalkInstance) {
  return {
    note: (text: string) => stderr.write(text),
    warn: (text: string) => stderr.write(`${errChalk.yellow('videokit-rollback: warning:')} ${text}\n`),
  };
}

/** A run's end as recorded: the outcome is written and the record sealed. */
export interface ClosedRecord {
  readonly failure: RollbackFailure | undefined;
  readonly outcome: Outcome;
  readonly digest: string | null;
}

/**
 * One run as the CLI sees it: the record, the sink the app emits to, and what the
 * events said so far (folded as they come, so a second interrupt can report at once).
 */
export interface RunSession {
  readonly record: DeferredTranscript;
  readonly sink: ReturnType<typeof fanOut>;
  facts(): RunFacts;
  /** Adds a view (the terminal's) once the run's options are known. */
  watch(view: RunSink): void;
  /** Records the outcome and seals the record; only the first call counts. */
  close(outcome: RunOutcome): ClosedRecord;
  /** Reports the closed run (stderr, drill report, job summary, JSON document) and returns its exit code; once. */
  finish(closed: ClosedRecord, signature: SignatureResult | null): number;
}

export interface SessionContext {
  readonly deps: CliDeps;
  readonly redact: Redactor;
  readonly errChalk: ChalkInstance;
  /** Known once the options are resolved. */
  readonly config: () => RunConfig | undefined;
  readonly json: () => boolean;
}

/** The outcome of a run cut short now (or refused before the app ran), from what its events said. */
export function outcomeSoFar(config: RunConfig | undefined, facts: RunFacts, failure: RollbackFailure | undefined): RunOutcome {
  return {
    mode: config?.mode ?? null,
    drill: config?.drill === true,
    failure,
    failedStage: facts.failedStage,
    releases: facts.releases,
    restoreCommands: facts.restoreCommands,
  };
}

export function createSession(context: SessionContext): RunSession {
  const { deps } = context;
  const started = deps.clock.monotonicMs();
  const record = deferredTranscript();
  let facts = NO_FACTS;
  const views: RunSink[] = [];
  const sink = fanOut(record, {
    emit: (event: RunEvent) => {
      facts = withEvent(facts, event);
      for (const view of views) view.emit(event);
    },
  });
  let closed: ClosedRecord | undefined;
  let finished: number | undefined;
  return {
    record,
    sink,
    facts: () => facts,
    watch: (view) => void views.push(view),
    close(ended) {
      if (closed !== undefined) return closed;
      const outcome = outcomeOf(ended);
      const time = deps.clock.now().toISOString();
      const durationMs = Math.round(deps.clock.monotonicMs() - started);
      record.record(outcomeEvent(outcome, { time, durationMs, releases: ended.releases, restoreCommands: ended.restoreCommands }));
      closed = { failure: ended.failure, outcome, digest: record.seal() };
      return closed;
    },
    finish(done, signature) {
      finished ??= report(context, { record, facts }, done, signature);
      return finished;
    },
  };
}

/** What the run tells the operator and CI at its end, every part a view of its events and outcome. */
function report(context: SessionContext, run: { record: DeferredTranscript; facts: RunFacts }, closed: ClosedRecord, signature: SignatureResult | null): number {
  const { deps, redact, errChalk } = context;
  const config = context.config();
  const { failure, outcome, digest } = closed;
  const path = run.record.path;
  const say = stderrSay(deps.stderr, errChalk);
  const reportPath = config?.drill === true && config.mode === 'execute' ? writeDrillReport(deps, path, say) : null;
  const logPath = writeView(deps, run.record, say);
  if (failure !== undefined) deps.stderr.write(renderFailure(outcome, errChalk, redact));
  if (path !== null) deps.stderr.write(`transcript: ${path}\n`);
  if (logPath !== null) deps.stderr.write(`log: ${logPath}\n`);
  if (digest !== null) deps.stderr.write(`seal digest (sha256): ${digest}\n`);
  if (signature !== null) {
    if (signature.ok) deps.stderr.write(`signature: ${signature.path}\n`);
    else say.warn(`the transcript was not signed: ${escapeControls(redact(signature.problem))}`);
  }
  if (reportPath !== null) deps.stderr.write(`report: ${reportPath}\n`);

  const document = runDocument(
    { tool: deps.tool, config, facts: run.facts, transcript: path, reportPath, outcome, digest, signature: signature?.ok === true ? signature.path : null },
    redact,
  );
  const summaryProblem = appendStepSummary(deps.env, document);
  if (summaryProblem !== undefined) say.warn(escapeControls(summaryProblem));
  if (context.json()) deps.stdout.write(`${jsonTerminalSafe(JSON.stringify(document, null, 2))}\n`);
  return outcome.exitCode;
}

/**
 * The text log, rendered from the sealed record beside it (also when the run failed, and
 * on a second interrupt that exits at once). A log that cannot be written is said and
 * changes nothing else: the record is what counts, and `report <record> --format text`
 * renders the same text on demand.
 */
function writeView(deps: CliDeps, transcript: Transcript, say: ReturnType<typeof stderrSay>): string | null {
  if (transcript.path === null || transcript.view === null) return null;
  try {
    writeTextView(transcript.path, transcript.view, `${deps.tool.name} ${deps.tool.version}`, transcript.verdict() ?? undefined);
    return transcript.view;
  } catch (error) {
    say.warn(`the text log ${escapeControls(transcript.view)} could not be written: ${escapeControls((error as Error).message)}`);
    return null;
  }
}

/**
 * A drill ends by writing its after-action report next to its transcript, rendered
 * from the transcript file just closed: the same path `report` takes, so the report
 * holds only what the auditors' archive holds. A report that cannot be written is
 * said, but does not change the drill's exit code: the cluster's state decides that.
 */
function writeDrillReport(deps: CliDeps, transcriptPath: string | null, say: ReturnType<typeof stderrSay>): string | null {
  if (transcriptPath === null) return null;
  try {
    const output = reportPathFor(transcriptPath);
    produceReport({ transcript: transcriptPath, output, format: 'md', run: undefined }, deps.cwd, `${deps.tool.name} ${deps.tool.version}`);
    return output;
  } catch (error) {
    say.warn(`the drill report could not be written: ${escapeControls((error as Error).message)}`);
    return null;
  }
}
