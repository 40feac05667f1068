import { runCli } from '../../src/cli/runCli.js';
import { findExecutable } from '../../src/cli/findExecutable.js';
import { systemClock } from '../../src/process/budget.js';
import { createExecaRunner } from '../../src/process/execaRunner.js';
import type { CommandRunner } from '../../src/process/runner.js';
import { TOOL } from '../../src/version.js';
import type { CliRun } from './cli.js';
import { fakeToolsRunner } from './fakeRunner.js';
import type { FakeTools } from './fakeTools.js';

/**
 * Runs the CLI in this process, wired like src/cli/main.ts (real runner, real
 * PATH lookup, no terminal, children started in `cwd`), minus the process itself:
 * no Node start-up per run. What only the process shows (signals, its exit, closed
 * pipes, the built bundle) needs the subprocess.
 */
export async function runInProcess(
  args: string[],
  options: {
    env?: Record<string, string>;
    cwd: string;
    path?: string[];
    /** Default: the real runner. */
    runner?: CommandRunner;
    /** Whether stdin and stderr are a terminal (an operator who could be asked to confirm); default no. */
    terminal?: boolean;
  },
): Promise<CliRun> {
  const env = { PATH: [...(options.path ?? []), '/usr/bin', '/bin'].join(':'), HOME: process.env.HOME ?? '/tmp', ...options.env };
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli({
    argv: args,
    env,
    cwd: options.cwd,
    stdout: { write: (text) => void (stdout += text), isTTY: false },
    stderr: { write: (text) => void (stderr += text), isTTY: options.terminal ?? false },
    stdinIsTTY: options.terminal ?? false,
    runner: options.runner ?? createExecaRunner(env, options.cwd),
    clock: systemClock,
    tool: TOOL,
    findExecutable,
    confirm: async () => false,
    onSignal: () => () => undefined,
  });
  return { exitCode, signal: undefined, stdout, stderr };
}

/**
 * Runs the CLI in this process against fake tools, as runBuiltCli(args, { path: [fake.dir] })
 * runs it in a subprocess: the same PATH lookup finds the fakes, and the same rules answer,
 * without a Node start-up per command. For what only a process shows (signals, exit
 * codes of the process, closed pipes, start-up), keep the subprocess.
 */
export async function runFaked(fake: FakeTools, args: string[], options: { cwd: string; env?: Record<string, string>; terminal?: boolean }): Promise<CliRun> {
  const run = await runInProcess(args, { ...options, path: [fake.dir], runner: fakeToolsRunner(fake) });
  // As execa gives a subprocess's output: without its final newline.
  const strip = (text: string) => text.replace(/\r?\n$/, '');
  return { ...run, stdout: strip(run.stdout), stderr: strip(run.stderr) };
}
