import { runCli } from '../../src/cli/runCli.js';
import { findExecutable } from '../../src/cli/findExecutable.js';
import { systemClock } from '../../src/process/budget.js';
import { createExecaRunner } from '../../src/process/execaRunner.js';
import type { CommandRunner } from '../../src/process/runner.js';
import type { CliRun } from './cli.js';

/**
 * Runs the CLI in this process, wired like src/cli/main.ts (real runner, real
 * PATH lookup, no terminal), minus the process itself. Much faster than a
 * subprocess: for tables of inputs that are refused before anything runs.
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
    runner: options.runner ?? createExecaRunner(env),
    clock: systemClock,
    tool: { name: 'videokit-rollback', version: '0.0.0-test' },
    findExecutable,
    confirm: async () => false,
    onSignal: () => () => undefined,
  });
  return { exitCode, signal: undefined, stdout, stderr };
}
