import { runCli } from '../../src/cli/runCli.js';
import { findExecutable } from '../../src/cli/findExecutable.js';
import { systemClock } from '../../src/process/budget.js';
import { createExecaRunner } from '../../src/process/execaRunner.js';
import type { CliRun } from './cli.js';

/**
 * Runs the CLI in this process, wired like src/cli/main.ts (real runner, real
 * PATH lookup, no terminal), minus the process itself. Much faster than a
 * subprocess: for tables of inputs that are refused before anything runs.
 */
export async function runInProcess(
  args: string[],
  options: { env?: Record<string, string>; cwd: string; path?: string[] },
): Promise<CliRun> {
  const env = { PATH: [...(options.path ?? []), '/usr/bin', '/bin'].join(':'), HOME: process.env.HOME ?? '/tmp', ...options.env };
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli({
    argv: args,
    env,
    cwd: options.cwd,
    stdout: { write: (text) => void (stdout += text), isTTY: false },
    stderr: { write: (text) => void (stderr += text), isTTY: false },
    stdinIsTTY: false,
    runner: createExecaRunner(env),
    clock: systemClock,
    tool: { name: 'videokit-rollback', version: '0.0.0-test' },
    findExecutable,
    confirm: async () => false,
    onSignal: () => () => undefined,
  });
  return { exitCode, signal: undefined, stdout, stderr };
}
