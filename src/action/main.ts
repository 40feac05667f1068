import { usageError } from '../domain/errors.js';
import { outcomeOf } from '../domain/outcome.js';
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { exitProcess, setExitCode } from '../cli/exit.js';
import { processDeps } from '../cli/main.js';
import { runCli } from '../cli/runCli.js';
import { quoteCommand } from '../domain/shellQuote.js';
import { ActionInputError, cliArguments, inputVariable, resultBaseName } from './inputs.js';

/**
 * The action (action.yml, `runs.using: node24`): this bundle runs the CLI in its own
 * process, so the runner's signals on a cancelled job (SIGINT, then SIGTERM) reach the
 * CLI's own handling: a first one lets a running `helm rollback` finish, as a terminal's
 * Ctrl-C does. A child process would be killed with the tree instead, leaving the release
 * pending-rollback. The CLI's --output json document becomes the result file; its
 * progress goes to the log (stderr).
 */
const log = (line: string): void => void process.stdout.write(`${line}\n`);
const read = (name: string): string => process.env[inputVariable(name)] ?? '';

/** Step outputs, through the file the runner names in $GITHUB_OUTPUT (else the log, locally). */
function setOutputs(outputs: Record<string, string>): void {
  const lines = Object.entries(outputs).map(([key, value]) => `${key}=${value.replace(/[\r\n]/g, ' ')}\n`).join('');
  const file = process.env.GITHUB_OUTPUT;
  if (file !== undefined && file !== '') appendFileSync(file, lines);
  else log(lines.trimEnd());
}

interface ResultDocument {
  readonly outcome?: { readonly status?: string };
  readonly report?: string | null;
}

/** Writes the result file and every output; called once, at the end or on a second signal. */
function finish(exitCode: number, json: string, paths: { transcript: string; log: string; result: string; planOut: string }): void {
  writeFileSync(paths.result, json);
  let document: ResultDocument = {};
  try {
    document = JSON.parse(json) as ResultDocument;
  } catch {
    log(`::warning title=videokit-rollback::the CLI wrote no JSON result (exit ${exitCode})`);
  }
  const outcome = document.outcome?.status ?? 'error';
  log(`outcome: ${outcome} (exit ${exitCode})`);
  const planOut = paths.planOut === '' ? '' : resolve(paths.planOut);
  setOutputs({
    'exit-code': String(exitCode),
    outcome,
    // A usage error stops the CLI before it opens the transcript: then there is none to point at.
    transcript: existsSync(paths.transcript) ? paths.transcript : '',
    log: existsSync(paths.log) ? paths.log : '',
    result: paths.result,
    report: document.report ?? '',
    plan: planOut !== '' && existsSync(planOut) ? planOut : '',
  });
}

async function runAction(): Promise<number> {
  const mode = read('mode').trim();
  const directory = resolve(read('transcript-dir').trim() || 'reports/deploy');
  const base = resolve(directory, resultBaseName(mode, new Date()));
  // The record; its text log is written beside it at the end of the run.
  const paths = { transcript: `${base}.jsonl`, log: `${base}.log`, result: `${base}.json`, planOut: read('plan-out').trim() };
  let args: string[];
  try {
    args = cliArguments(read, paths);
  } catch (error) {
    if (!(error instanceof ActionInputError)) throw error;
    // ::error:: is the workflow command that turns a log line into an annotation on the run.
    log(`::error title=videokit-rollback::${error.message}`);
    // Refused before the CLI ran: the outcome every output gives a usage error.
    const refused = outcomeOf({ mode: null, drill: false, failure: usageError(error.message) });
    setOutputs({ 'exit-code': String(refused.exitCode), outcome: refused.status, transcript: '', log: '', result: '', report: '', plan: '' });
    return refused.exitCode;
  }
  mkdirSync(directory, { recursive: true });
  log(quoteCommand(['videokit-rollback', ...args]));
  let json = '';
  const exitCode = await runCli(
    processDeps({
      argv: args,
      stdout: { write: (text) => void (json += text), isTTY: false },
      // A second signal ends the run at once; the outputs still say how it ended.
      exitNow: (code) => {
        finish(code, json, paths);
        exitProcess(code);
      },
    }),
  );
  finish(exitCode, json, paths);
  return exitCode;
}

runAction().then(setExitCode, (error: unknown) => {
  log(`::error title=videokit-rollback::unexpected internal error: ${error instanceof Error ? error.message : String(error)}`);
  setExitCode(1);
});
