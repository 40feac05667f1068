import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { setExitCode } from '../cli/exit.js';
import { quoteCommand } from '../domain/shellQuote.js';
import { ActionInputError, cliArguments, resultBaseName, type ActionInputs } from './inputs.js';

/**
 * The action's one step: build the CLI's argv from the inputs, run the CLI with
 * `--output json` (its JSON document goes to the result file, its progress to the log),
 * then set the step outputs and return the CLI's exit code.
 */
function runAction(env: NodeJS.ProcessEnv, log: (line: string) => void): number {
  const input = (name: string): string => env[`VKR_INPUT_${name}`] ?? '';
  const inputs: ActionInputs = {
    releases: input('RELEASES'),
    namespace: input('NAMESPACE'),
    context: input('CONTEXT'),
    targetEnv: input('TARGET_ENV'),
    mode: input('MODE'),
    timeout: input('TIMEOUT'),
    plan: input('PLAN'),
    planOut: input('PLAN_OUT'),
  };
  const setOutputs = (outputs: Record<string, string>): void => {
    const lines = Object.entries(outputs).map(([key, value]) => `${key}=${value}\n`).join('');
    if (env.GITHUB_OUTPUT !== undefined && env.GITHUB_OUTPUT !== '') appendFileSync(env.GITHUB_OUTPUT, lines);
    else log(lines.trimEnd());
  };

  const directory = resolve(input('TRANSCRIPT_DIR') || 'reports/deploy');
  const base = resolve(directory, resultBaseName(inputs.mode, new Date()));
  const transcript = `${base}.log`;
  const result = `${base}.json`;

  let args: string[];
  try {
    args = cliArguments(inputs, { transcript });
  } catch (error) {
    if (!(error instanceof ActionInputError)) throw error;
    // ::error:: is the workflow command that turns a log line into an annotation on the run.
    log(`::error title=videokit-rollback::${error.message}`);
    setOutputs({ 'exit-code': '2', outcome: 'refused', transcript: '', result: '' });
    return 2;
  }

  mkdirSync(directory, { recursive: true });
  const cli = resolve(import.meta.dirname, '../bin/videokit-rollback.js');
  log(quoteCommand(['videokit-rollback', ...args]));
  const run = spawnSync(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 256 * 1024 * 1024 });
  writeFileSync(result, run.stdout ?? '');

  const exitCode = run.status ?? 1;
  let outcome = 'error';
  try {
    outcome = (JSON.parse(readFileSync(result, 'utf8')) as { outcome: { status: string } }).outcome.status;
  } catch {
    log(`::warning title=videokit-rollback::the CLI wrote no JSON result (exit ${exitCode}${run.signal === null ? '' : `, ${run.signal}`})`);
  }
  log(`outcome: ${outcome} (exit ${exitCode})`);
  // A usage error stops the CLI before it opens the transcript: then there is none to point at.
  setOutputs({ 'exit-code': String(exitCode), outcome, transcript: existsSync(transcript) ? transcript : '', result });
  return exitCode;
}

setExitCode(runAction(process.env, (line) => process.stdout.write(`${line}\n`)));
