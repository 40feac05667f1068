import { CommanderError, type Command } from 'commander';
import type { Ora } from 'ora';
import { asFailure, RollbackFailure, usageError } from '../domain/errors.js';
import { createProgress } from '../views/progress.js';
import { colourEnabled, makeChalk } from '../views/style.js';
import { createTerminalView } from '../views/terminalView.js';
import { confirmQuestion } from '../views/confirmQuestion.js';
import { createInterruptController, type InterruptController } from '../process/interrupt.js';
import type { Redactor } from '../process/redact.js';
import { runCompletion } from './completion.js';
import { configFileFor, resolveConfig } from './config.js';
import type { RunConfig } from '../app/runConfig.js';
import { EXIT_CODES, exitCodeFor } from './exitCodes.js';
import { runRollback } from '../app/rollback.js';
import type { PerformDeps } from '../app/runContext.js';
import { BARE_USAGE, buildProgram, COMPLETION_COMMAND, REPORT_COMMAND, VERIFY_COMMAND, type RawOptions } from './program.js';
import { resolveVerifyRequest, runVerify, VERIFY_EXIT, type RawVerifyOptions } from './verifyCommand.js';
import { addSealDigestToAnnotation } from './annotateDigest.js';
import type { ChalkInstance } from 'chalk';
import { signTranscript } from './signTranscript.js';
import { produceReport, resolveReportRequest, type RawReportOptions } from './reportCommand.js';
import { loadPlanFile } from '../plan/approval/loadPlanFile.js';
import { createRedactor } from '../process/redact.js';
import { describeInterrupt } from './interruptMessages.js';
import { showInput } from '../domain/names.js';
import { escapeControls, terminalSafe } from '../domain/sanitize.js';
import type { CliDeps, OutStream } from './cliDeps.js';
import { createSession, outcomeSoFar, stderrSay, type RunSession } from './runSession.js';

export type { CliDeps, OutStream } from './cliDeps.js';

const HELP_HINT = 'run videokit-rollback --help for usage';

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
  return usageError(`help: unknown command ${showInput(command)} (commands: ${REPORT_COMMAND}, ${VERIFY_COMMAND}, ${COMPLETION_COMMAND})`, HELP_HINT);
}

/** `--output json` must hold even for a usage error found before commander finishes. */
function wantsJson(argv: readonly string[]): boolean {
  if (argv[0] === REPORT_COMMAND || argv[0] === VERIFY_COMMAND) return false; // the report's --output is a file
  return argv.some((arg, i) => arg === '--output=json' || arg === '-ojson' || ((arg === '--output' || arg === '-o') && argv[i + 1] === 'json'));
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

/** What the command line asked for: a subcommand, or the rollback with these options. */
type Parsed =
  | { readonly kind: 'done'; readonly exitCode: number }
  | { readonly kind: 'report'; readonly transcript: string; readonly options: RawReportOptions }
  | { readonly kind: 'verify'; readonly transcript: string; readonly options: RawVerifyOptions }
  | { readonly kind: 'run'; readonly program: Command };

/** commander parses; usage problems throw as RollbackFailure. */
function parse(deps: CliDeps): Parsed {
  const program = buildProgram(deps.tool.version);
  for (const command of [program, ...program.commands]) {
    command.exitOverride().configureOutput({
      writeOut: (text) => deps.stdout.write(text),
      writeErr: () => undefined, // usage errors are reported below, as one line
    });
  }
  let parsed: Parsed = { kind: 'run', program };
  // The rollback is the default action; it only needs to exist so commander does not
  // answer a bare option list with the subcommand help.
  program.action(() => undefined);
  program.commands.find((command) => command.name() === REPORT_COMMAND)?.action((transcript: string, options: RawReportOptions) => {
    parsed = { kind: 'report', transcript, options };
  });
  program.commands.find((command) => command.name() === VERIFY_COMMAND)?.action((transcript: string, options: RawVerifyOptions) => {
    parsed = { kind: 'verify', transcript, options };
  });
  try {
    program.parse([...deps.argv], { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') {
      return { kind: 'done', exitCode: EXIT_CODES.success };
    }
    throw fromCommander(error, deps.argv);
  }
  return parsed;
}

/** The options, the environment and the config file as a RunConfig, and what a run needs before it may start. */
function configure(program: Command, deps: CliDeps): RunConfig {
  const raw = program.opts<RawOptions>();
  const file = configFileFor(program, deps.env, deps.cwd);
  const config = resolveConfig(program, deps.env, file, raw.plan === undefined ? undefined : loadPlanFile(raw.plan, deps.cwd));
  checkBinaries(config, deps);
  if (config.signKey !== undefined && deps.findExecutable('ssh-keygen', deps.env, deps.cwd) === undefined) {
    throw usageError('--sign-key: ssh-keygen was not found on PATH (it signs the transcript)', 'install OpenSSH (Debian: apt-get install openssh-client), or drop --sign-key');
  }
  const interactive = deps.stdinIsTTY && deps.stderr.isTTY;
  if (config.mode === 'execute' && !config.yes && !interactive) {
    throw usageError('--execute without a terminal needs --yes (there is nobody to confirm the plan)');
  }
  return config;
}

/**
 * SIGINT/SIGTERM: said on stderr and in the record; a second one, where the process may
 * exit at once, closes the record with what the events said so far and reports it.
 */
function handleSignals(
  deps: CliDeps,
  session: RunSession,
  run: { config: RunConfig; interrupts: InterruptController; note: (text: string) => void; stop: () => void; errChalk: ChalkInstance },
): () => void {
  const unregister = deps.onSignal((signal) => {
    const received = run.interrupts.receive(signal);
    const running = [...session.facts().running];
    const exitAtOnce = received.count > 1 && deps.exitNow !== undefined;
    const forwardedTo = exitAtOnce ? (deps.runner.signalRunning?.(signal) ?? []) : undefined;
    const told = describeInterrupt({ mode: run.config.mode, signal, count: received.count, running, exitAtOnce, forwardedTo });
    session.sink.record({
      type: 'interrupt',
      time: deps.clock.now().toISOString(),
      signal,
      count: received.count,
      action: told.action,
      ...(forwardedTo === undefined ? {} : { forwardedTo: forwardedTo.map((c) => ({ pid: c.pid, file: c.file })) }),
    });
    run.note(run.errChalk.yellow(`${signal} received: ${told.action}`));
    if (exitAtOnce && told.failure !== undefined && deps.exitNow !== undefined) {
      // Exit without waiting for anything: record the outcome, report, and go.
      run.stop();
      unregister();
      deps.exitNow(session.finish(session.close(outcomeSoFar(run.config, session.facts(), told.failure)), null));
    }
  });
  return unregister;
}

/** The rollback itself: the views watch its events while the app runs it; returns the exit code. */
async function rollback(deps: CliDeps, session: RunSession, config: RunConfig, redact: Redactor, errChalk: ChalkInstance): Promise<number> {
  const spinner: Ora | undefined = colourEnabled(deps.stderr, deps.env) && deps.createSpinner !== undefined ? await deps.createSpinner() : undefined;
  const progress = createProgress((text) => deps.stderr.write(text), errChalk, spinner);
  session.watch(progress);
  session.watch(
    createTerminalView(config, {
      // The summary shows command output (Pod listings, helm's errors): same redaction as the transcript.
      writeOut: (text) => deps.stdout.write(redact(text)),
      note: (text) => progress.note(text),
      chalk: makeChalk(colourEnabled(deps.stdout, deps.env)),
      textOutput: config.output !== 'json',
    }),
  );
  const interrupts = createInterruptController(config.mode);
  const unregister = handleSignals(deps, session, { config, interrupts, note: (text) => progress.note(text), stop: () => spinner?.stop(), errChalk });
  const performDeps: PerformDeps = {
    argv: deps.argv, cwd: deps.cwd, runner: deps.runner, clock: deps.clock, tool: deps.tool, interrupts,
    confirm: (asked, signal) => deps.confirm(confirmQuestion(asked), signal), interactive: deps.stdinIsTTY && deps.stderr.isTTY, env: deps.env, redact, findExecutable: deps.findExecutable,
    record: session.record, sink: session.sink,
  };
  let result;
  try {
    result = await runRollback(config, performDeps);
  } finally {
    spinner?.stop();
    unregister();
  }
  // A failure thrown after writes began ends the app with no release results of its own;
  // the events already told which releases changed and how to put each back.
  const outcome = result.outcome.failure !== undefined && result.outcome.releases.length === 0 ? outcomeSoFar(config, session.facts(), result.outcome.failure) : result.outcome;
  const closed = session.close(outcome);
  const { gate } = result;
  const path = session.record.path;
  const signature = config.signKey !== undefined && closed.digest !== null && gate !== undefined && path !== null ? await signTranscript(gate, config.signKey, path) : null;
  await addSealDigestToAnnotation(config.annotate, session.facts().annotation, closed.digest, stderrSay(deps.stderr, errChalk));
  return session.finish(closed, signature);
}

/** A run of the program proper: parse, then a subcommand or the rollback; every failure reported once. */
async function runProgram(deps: CliDeps): Promise<number> {
  const redact = createRedactor(deps.env);
  const errChalk = makeChalk(colourEnabled(deps.stderr, deps.env));
  let config: RunConfig | undefined;
  let json = wantsJson(deps.argv);
  const session = createSession({ deps, redact, errChalk, config: () => config, json: () => json });
  for (const [name, stream] of [['stdout', deps.stdout], ['stderr', deps.stderr]] as const) {
    stream.onClosed?.(() => session.sink.record({ type: 'output-closed', time: deps.clock.now().toISOString(), stream: name }));
  }
  try {
    const parsed = parse(deps);
    if (parsed.kind === 'done') return parsed.exitCode;
    if (parsed.kind === 'report') return runReportCommand(deps, parsed.transcript, parsed.options, errChalk);
    if (parsed.kind === 'verify') return await runVerifyCommand(deps, parsed.transcript, parsed.options, errChalk);
    json = parsed.program.opts<RawOptions>().output === 'json';
    config = configure(parsed.program, deps);
  } catch (error) {
    return session.finish(session.close(outcomeSoFar(config, session.facts(), asFailure(error))), null);
  }
  return rollback(deps, session, config, redact, errChalk);
}

/** `completion ...`: answered before commander parses anything (see below). */
async function runCompletionCommand(deps: CliDeps): Promise<number> {
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
    return reportFailure(deps.stderr, 'videokit-rollback: error:', error);
  }
}

/** A subcommand's failure: its error line, the hint when there is one, and the exit code of its kind. */
function reportFailure(stderr: OutStream, prefix: string, error: unknown): number {
  const failure = asFailure(error);
  stderr.write(`${prefix} ${escapeControls(failure.message)}\n`);
  if (failure.hint !== undefined) stderr.write(`  hint: ${escapeControls(failure.hint)}\n`);
  return exitCodeFor(failure.kind);
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
  // Completion scripts call it on every Tab with partial command lines that must never
  // be reported as usage errors: answered before commander parses anything.
  if (deps.argv[0] === COMPLETION_COMMAND) return runCompletionCommand(deps);
  return runProgram(deps);
}

/** `videokit-rollback report <transcript>`: 0 with the report written, 2 for an unreadable transcript, 7 for one that does not verify. */
function runReportCommand(deps: CliDeps, transcript: string, options: RawReportOptions, errChalk: ChalkInstance): number {
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
    return reportFailure(deps.stderr, errChalk.red('videokit-rollback report: error:'), error);
  }
}

/** `videokit-rollback verify <transcript>`: the verdict on stdout, and its exit code (0, 1, 2 or 7). */
async function runVerifyCommand(deps: CliDeps, transcript: string, options: RawVerifyOptions, errChalk: ChalkInstance): Promise<number> {
  try {
    const { text, exitCode } = await runVerify(resolveVerifyRequest(transcript, options), deps);
    deps.stdout.write(text);
    return exitCode;
  } catch (error) {
    return reportFailure(deps.stderr, errChalk.red('videokit-rollback verify: error:'), error);
  }
}
