import { outcomeEvent, outcomeOf, type Outcome } from '../domain/outcome.js';
import { CommanderError } from 'commander';
import type { Ora } from 'ora';
import { RollbackFailure } from '../domain/errors.js';
import { createProgress } from '../views/progress.js';
import { colourEnabled, makeChalk } from '../views/style.js';
import { runDocument } from '../views/jsonDocument.js';
import { renderFailure } from '../views/renderOutcome.js';
import { appendStepSummary } from '../views/stepSummary.js';
import type { Clock } from '../process/budget.js';
import { createInterruptController } from '../process/interrupt.js';
import type { CommandRunner } from '../process/runner.js';
import { runCompletion } from './completion.js';
import { configFileFor, resolveConfig } from './config.js';
import type { RunConfig } from '../app/runConfig.js';
import { EXIT_CODES, exitCodeFor } from './exitCodes.js';
import { perform } from '../app/rollback.js';
import { newRunState, type RunState } from '../app/runContext.js';
import { BARE_USAGE, buildProgram, COMPLETION_COMMAND, REPORT_COMMAND, VERIFY_COMMAND, type RawOptions } from './program.js';
import { resolveVerifyRequest, runVerify, VERIFY_EXIT, type RawVerifyOptions } from './verifyCommand.js';
import { signTranscript, type SignatureResult } from './signTranscript.js';
import { usageError } from '../domain/errors.js';
import { reportPathFor, writeTextView, type Transcript } from '../views/transcript.js';
import { produceReport, resolveReportRequest, type RawReportOptions } from './reportCommand.js';
import { loadPlanFile } from '../plan/approval/loadPlanFile.js';
import { createRedactor } from '../process/redact.js';
import { describeInterrupt } from './interruptMessages.js';
import { showInput } from '../domain/names.js';
import { escapeControls, jsonTerminalSafe, terminalSafe } from '../domain/sanitize.js';

export interface OutStream {
  write(text: string): void;
  readonly isTTY: boolean;
  /** Registers what to do when the reader has gone (EPIPE); the stream drops writes from then on. */
  onClosed?(listener: () => void): void;
}

/** Everything a run needs from the outside world; tests pass fakes. */
export interface CliDeps {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdinIsTTY: boolean;
  readonly runner: CommandRunner;
  readonly clock: Clock;
  readonly tool: { readonly name: string; readonly version: string };
  readonly findExecutable: (file: string, env: NodeJS.ProcessEnv, cwd: string) => string | undefined;
  readonly confirm: (question: string, signal: AbortSignal) => Promise<boolean>;
  /** Registers a handler for SIGINT/SIGTERM; returns the unregister function. */
  readonly onSignal: (handler: (signal: 'SIGINT' | 'SIGTERM') => void) => () => void;
  /**
   * Ends the process at once with this code (a second interrupt). Without it a
   * second signal only kills the children and the run ends as usual.
   */
  readonly exitNow?: (code: number) => void;
  /** Creates a spinner on stderr (only called on a terminal). */
  readonly createSpinner?: () => Promise<Ora | undefined>;
}

const HELP_HINT = 'run videokit-rollback --help for usage';

/** A run's end as recorded: the outcome is written and the record sealed. */
interface ClosedRecord {
  readonly failure: RollbackFailure | undefined;
  readonly outcome: Outcome;
  readonly digest: string | null;
}

/** commander reports usage problems by throwing; keep its message, drop its "error: " prefix. */
function fromCommander(error: CommanderError, argv: readonly string[]): RollbackFailure {
  const hint = HELP_HINT;
  if (error.code === 'commander.excessArguments') {
    // commander does not name the stray word; its own option parser finds it.
    const stray = buildProgram('').parseOptions([...argv]).operands[0];
    return usageError(`unexpected argument${stray === undefined ? '' : ` ${showInput(stray)}`}: releases are given with --release <name>`, hint);
  }
  // One line: commander puts its suggestion on a line of its own.
  const message = error.message.replace(/^error: /, '').replace(/\n\(Did you mean (.*)\?\)/, ' (did you mean $1?)').replace(/\n/g, ' ');
  return usageError(message, hint);
}

/**
 * `help [command]` as `[command] --help`, so each command answers with its own
 * help (completion's lives in completion.ts, outside the main program). Undefined
 * when the argv is not a help request.
 */
function helpRequest(argv: readonly string[]): string[] | RollbackFailure | undefined {
  if (argv[0] !== 'help') return undefined;
  const [, command, ...rest] = argv;
  if (rest.length > 0) return usageError(`help takes one command, not ${showInput(rest[0] ?? '')}`, HELP_HINT);
  if (command === undefined) return ['--help'];
  if (command === REPORT_COMMAND || command === VERIFY_COMMAND || command === COMPLETION_COMMAND) return [command, '--help'];
  return usageError(`help: unknown command ${showInput(command)} (commands: ${REPORT_COMMAND}, ${COMPLETION_COMMAND})`, HELP_HINT);
}

/** `--output json` must hold even for a usage error found before commander finishes. */
function wantsJson(argv: readonly string[]): boolean {
  if (argv[0] === REPORT_COMMAND || argv[0] === VERIFY_COMMAND) return false; // the report's --output is a file
  return argv.some((arg, i) => arg === '--output=json' || arg === '-ojson' || ((arg === '--output' || arg === '-o') && argv[i + 1] === 'json'));
}

function toFailure(error: unknown): RollbackFailure {
  if (error instanceof RollbackFailure) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new RollbackFailure('internal', `unexpected internal error: ${message}`, {
    hint: 'please report this with the transcript',
  });
}

/** --helm and --kubectl must name something to run, found the way execa will find it. */
function checkBinaries(config: RunConfig, deps: CliDeps): void {
  for (const [flag, file, source] of [
    ['--helm', config.helm, config.binaryOrigins.helm],
    ['--kubectl', config.kubectl, config.binaryOrigins.kubectl],
  ] as const) {
    if (deps.findExecutable(file, deps.env, deps.cwd) !== undefined) continue;
    throw usageError(
      file.includes('/') ? `${source}: ${showInput(file)} was not found or is not executable` : `${source}: ${showInput(file)} was not found on PATH`,
      `install it, put it on PATH, or pass ${flag} <path>`,
    );
  }
}

/** The streams behind terminalSafe: whatever a view forgot to escape, no raw control reaches them. */
function withSafeStreams(deps: CliDeps): CliDeps {
  const safe = (stream: OutStream): OutStream => {
    const colour = colourEnabled(stream, deps.env);
    return { ...stream, isTTY: stream.isTTY, write: (text) => stream.write(terminalSafe(text, colour)) };
  };
  return { ...deps, stdout: safe(deps.stdout), stderr: safe(deps.stderr) };
}

/**
 * Parses, validates, runs and reports. Returns the exit code; never exits the
 * process itself (a second interrupt asks `deps.exitNow` to).
 */
export async function runCli(unsafeDeps: CliDeps): Promise<number> {
  const cliDeps = withSafeStreams(unsafeDeps);
  if (cliDeps.argv.length === 0) {
    // Nothing to go on: no flag can be wrong yet, so show how to start instead.
    cliDeps.stderr.write(BARE_USAGE);
    return EXIT_CODES.usage;
  }
  const helpFor = helpRequest(cliDeps.argv);
  if (helpFor instanceof RollbackFailure) {
    cliDeps.stderr.write(`videokit-rollback: error: ${helpFor.message}\n  hint: ${helpFor.hint ?? ''}\n`);
    return exitCodeFor(helpFor.kind);
  }
  const deps = helpFor === undefined ? cliDeps : { ...cliDeps, argv: helpFor };
  if (deps.argv[0] === COMPLETION_COMMAND) {
    // Answered before commander parses anything: completion scripts call it on every
    // Tab with partial command lines that must never be reported as usage errors.
    try {
      await runCompletion(deps.argv.slice(1), {
        env: deps.env,
        cwd: deps.cwd,
        runner: deps.runner,
        clock: deps.clock,
        version: deps.tool.version,
        writeOut: (text) => deps.stdout.write(text),
      });
      return EXIT_CODES.success;
    } catch (error) {
      const failure = toFailure(error);
      deps.stderr.write(`videokit-rollback: error: ${escapeControls(failure.message)}\n`);
      if (failure.hint !== undefined) deps.stderr.write(`  hint: ${escapeControls(failure.hint)}\n`);
      return exitCodeFor(failure.kind);
    }
  }
  const started = deps.clock.monotonicMs();
  const stderrColour = colourEnabled(deps.stderr, deps.env);
  const errChalk = makeChalk(stderrColour);
  const outChalk = makeChalk(colourEnabled(deps.stdout, deps.env));
  let json = wantsJson(deps.argv);
  let config: RunConfig | undefined;
  const state: RunState = newRunState();
  let failure: RollbackFailure | undefined;
  let spinner: Ora | undefined;
  let unregister: (() => void) | undefined;
  const redact = createRedactor(deps.env);
  for (const [name, stream] of [['stdout', deps.stdout], ['stderr', deps.stderr]] as const) {
    stream.onClosed?.(() => state.transcript.record({ type: 'output-closed', time: deps.clock.now().toISOString(), stream: name }));
  }

  let closed: ClosedRecord | undefined;
  /**
   * Records the outcome and seals the record. Called once at the end of a run, or
   * early by a second interrupt that exits at once: only the first call counts.
   */
  function closeRecord(failure: RollbackFailure | undefined): ClosedRecord {
    if (closed !== undefined) return closed;
    const outcome = outcomeOf({ mode: config?.mode ?? null, drill: config?.drill === true, failure, failedStage: state.failedStage, releases: state.releases });
    state.transcript.record(outcomeEvent(outcome, {
      time: deps.clock.now().toISOString(),
      durationMs: Math.round(deps.clock.monotonicMs() - started),
      releases: state.releases,
      restoreCommands: state.restoreCommands,
    }));
    closed = { failure, outcome, digest: state.transcript.seal() };
    return closed;
  }

  let finished: number | undefined;
  /** Reports the closed run (summary, JSON document, job summary) and returns the exit code; once. */
  function finish(record: ClosedRecord, signature: SignatureResult | null): number {
    if (finished !== undefined) return finished;
    const { failure, outcome, digest } = record;
    const { exitCode } = outcome;
    finished = exitCode;
    const reportPath = config?.drill === true && config.mode === 'execute' ? writeDrillReport(deps, state.transcript.path, errChalk) : null;
    const viewPath = writeView(deps, state.transcript, errChalk);

    if (failure !== undefined) deps.stderr.write(renderFailure(outcome, errChalk, redact));
    if (state.transcript.path !== null) deps.stderr.write(`transcript: ${state.transcript.path}\n`);
    if (viewPath !== null) deps.stderr.write(`log: ${viewPath}\n`);
    if (digest !== null) deps.stderr.write(`seal digest (sha256): ${digest}\n`);
    if (signature !== null) {
      if (signature.ok) deps.stderr.write(`signature: ${signature.path}\n`);
      else deps.stderr.write(`${errChalk.yellow('videokit-rollback: warning:')} the transcript was not signed: ${escapeControls(redact(signature.problem))}\n`);
    }
    if (reportPath !== null) deps.stderr.write(`report: ${reportPath}\n`);

    const report = runDocument({ tool: deps.tool, config, state, commands: state.gate?.records ?? [], reportPath, outcome, digest, signature: signature?.ok === true ? signature.path : null }, redact);
    const summaryProblem = appendStepSummary(deps.env, report);
    if (summaryProblem !== undefined) deps.stderr.write(`${errChalk.yellow('videokit-rollback: warning:')} ${escapeControls(summaryProblem)}\n`);
    if (json) deps.stdout.write(`${jsonTerminalSafe(JSON.stringify(report, null, 2))}\n`);
    return exitCode;
  }

  const program = buildProgram(deps.tool.version);
  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: () => undefined, // usage errors are reported below, as one line
    });
  }
  let reportArgs: { transcript: string; options: RawReportOptions } | undefined;
  let verifyArgs: { transcript: string; options: RawVerifyOptions } | undefined;
  // The rollback is the default action; it only needs to exist so commander does not
  // answer a bare option list with the subcommand help.
  program.action(() => undefined);
  program.commands
    .find((command) => command.name() === REPORT_COMMAND)
    ?.action((transcript: string, options: RawReportOptions) => {
      reportArgs = { transcript, options };
    });
  program.commands
    .find((command) => command.name() === VERIFY_COMMAND)
    ?.action((transcript: string, options: RawVerifyOptions) => {
      verifyArgs = { transcript, options };
    });

  try {
    try {
      program.parse([...deps.argv], { from: 'user' });
    } catch (error) {
      if (error instanceof CommanderError) {
        if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
          return EXIT_CODES.success;
        }
        throw fromCommander(error, deps.argv);
      }
      throw error;
    }
    if (reportArgs !== undefined) return runReportCommand(deps, reportArgs.transcript, reportArgs.options, errChalk);
    if (verifyArgs !== undefined) return await runVerifyCommand(deps, verifyArgs.transcript, verifyArgs.options, errChalk);
    const raw = program.opts<RawOptions>();
    json = raw.output === 'json';
    const file = configFileFor(program, deps.env, deps.cwd);
    config = resolveConfig(program, deps.env, file, raw.plan === undefined ? undefined : loadPlanFile(raw.plan, deps.cwd));
    checkBinaries(config, deps);
    if (config.signKey !== undefined && deps.findExecutable('ssh-keygen', deps.env, deps.cwd) === undefined) {
      throw usageError('--sign-key: ssh-keygen was not found on PATH (it signs the transcript)', 'install OpenSSH (Debian: apt-get install openssh-client), or drop --sign-key');
    }
    const interactive = deps.stdinIsTTY && deps.stderr.isTTY;
    if (config.mode === 'execute' && !config.yes && !interactive) {
      throw usageError('--execute without a terminal needs --yes (there is nobody to confirm the plan)');
    }

    const interrupts = createInterruptController(config.mode);
    if (stderrColour && deps.createSpinner !== undefined) spinner = await deps.createSpinner();
    const progress = createProgress((text) => deps.stderr.write(text), errChalk, spinner);
    const mode = config.mode;
    unregister = deps.onSignal((signal) => {
      const received = interrupts.receive(signal);
      const running = state.gate?.running() ?? [];
      const exitAtOnce = received.count > 1 && deps.exitNow !== undefined;
      const forwardedTo = exitAtOnce ? (deps.runner.signalRunning?.(signal) ?? []) : undefined;
      const told = describeInterrupt({ mode, signal, count: received.count, running, exitAtOnce, forwardedTo });
      state.transcript.record({
        type: 'interrupt',
        time: deps.clock.now().toISOString(),
        signal,
        count: received.count,
        action: told.action,
        ...(forwardedTo === undefined ? {} : { forwardedTo: forwardedTo.map((c) => ({ pid: c.pid, file: c.file })) }),
      });
      progress.note(errChalk.yellow(`${signal} received: ${told.action}`));
      if (exitAtOnce && told.failure !== undefined && deps.exitNow !== undefined) {
        // Exit without waiting for anything: record the outcome, report, and go.
        spinner?.stop();
        unregister?.();
        deps.exitNow(finish(closeRecord(told.failure), null));
      }
    });

    await perform(config, {
      argv: deps.argv,
      cwd: deps.cwd,
      runner: deps.runner,
      clock: deps.clock,
      tool: deps.tool,
      interrupts,
      observer: progress,
      confirm: deps.confirm,
      interactive,
      // The summary shows command output (Pod listings, helm's errors): same redaction as the transcript.
      writeOut: (text) => deps.stdout.write(redact(text)),
      env: deps.env,
      chalk: outChalk,
      textOutput: !json,
      redact,
      findExecutable: deps.findExecutable,
    }, state);
  } catch (error) {
    failure = toFailure(error);
  } finally {
    spinner?.stop();
    unregister?.();
  }

  const record = closeRecord(failure);
  const signature =
    config?.signKey !== undefined && record.digest !== null && state.gate !== undefined && state.transcript.path !== null
      ? await signTranscript(state.gate, config.signKey, state.transcript.path)
      : null;
  return finish(record, signature);
}

/** `videokit-rollback report <transcript>`: 0 with the report written, 2 for an unreadable transcript, 7 for one that does not verify. */
function runReportCommand(deps: CliDeps, transcript: string, options: RawReportOptions, errChalk: ReturnType<typeof makeChalk>): number {
  try {
    const request = resolveReportRequest(transcript, options);
    const { text, written, verdict } = produceReport(request, deps.cwd, `${deps.tool.name} ${deps.tool.version}`);
    if (written === null) deps.stdout.write(text);
    else deps.stderr.write(`report: ${written}\n`);
    if (verdict.status !== 'tampered') return EXIT_CODES.success;
    deps.stderr.write(`${errChalk.red('videokit-rollback report: error:')} ${showInput(transcript)} does not verify: ${escapeControls(verdict.reason)}; only the verdict was rendered\n`);
    if (verdict.line === 1) deps.stderr.write(`  hint: the record is the .jsonl file (a text log, x.log, is rendered from the x.jsonl beside it)\n`);
    return VERIFY_EXIT.tampered;
  } catch (error) {
    const failure = toFailure(error);
    deps.stderr.write(`${errChalk.red('videokit-rollback report: error:')} ${escapeControls(failure.message)}\n`);
    if (failure.hint !== undefined) deps.stderr.write(`  hint: ${escapeControls(failure.hint)}\n`);
    return exitCodeFor(failure.kind);
  }
}

/** `videokit-rollback verify <transcript>`: the verdict on stdout, and its exit code (0, 1, 2 or 7). */
async function runVerifyCommand(deps: CliDeps, transcript: string, options: RawVerifyOptions, errChalk: ReturnType<typeof makeChalk>): Promise<number> {
  try {
    const { text, exitCode } = await runVerify(resolveVerifyRequest(transcript, options), deps);
    deps.stdout.write(text);
    return exitCode;
  } catch (error) {
    const failure = toFailure(error);
    deps.stderr.write(`${errChalk.red('videokit-rollback verify: error:')} ${escapeControls(failure.message)}\n`);
    if (failure.hint !== undefined) deps.stderr.write(`  hint: ${escapeControls(failure.hint)}\n`);
    return exitCodeFor(failure.kind);
  }
}

/**
 * The text log, rendered from the sealed record beside it (also when the run failed, and
 * on a second interrupt that exits at once). A log that cannot be written is said and
 * changes nothing else: the record is what counts, and `report <record> --format text`
 * renders the same text on demand.
 */
function writeView(deps: CliDeps, transcript: Transcript, errChalk: ReturnType<typeof makeChalk>): string | null {
  if (transcript.path === null || transcript.view === null) return null;
  try {
    writeTextView(transcript.path, transcript.view, `${deps.tool.name} ${deps.tool.version}`, transcript.verdict() ?? undefined);
    return transcript.view;
  } catch (error) {
    deps.stderr.write(`${errChalk.yellow('videokit-rollback: warning:')} the text log ${escapeControls(transcript.view)} could not be written: ${escapeControls((error as Error).message)}\n`);
    return null;
  }
}

/**
 * A drill ends by writing its after-action report next to its transcript, rendered
 * from the transcript file just closed: the same path `report` takes, so the report
 * holds only what the auditors' archive holds. A report that cannot be written is
 * said, but does not change the drill's exit code: the cluster's state decides that.
 */
function writeDrillReport(deps: CliDeps, transcriptPath: string | null, errChalk: ReturnType<typeof makeChalk>): string | null {
  if (transcriptPath === null) return null;
  try {
    const output = reportPathFor(transcriptPath);
    produceReport({ transcript: transcriptPath, output, format: 'md', run: undefined }, deps.cwd, `${deps.tool.name} ${deps.tool.version}`);
    return output;
  } catch (error) {
    deps.stderr.write(`${errChalk.yellow('warning:')} the drill report could not be written: ${escapeControls((error as Error).message)}\n`);
    return null;
  }
}
