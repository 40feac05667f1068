import { execa } from 'execa';
import { resolve } from 'node:path';

export const BIN = resolve(import.meta.dirname, '../../bin/videokit-rollback.js');

export interface CliRun {
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI as a subprocess, with no terminal and a clean environment. */
export async function runBuiltCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; path?: string[] } = {},
): Promise<CliRun> {
  const result = await spawnBuiltCli(args, options);
  return { exitCode: result.exitCode, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** Starts the built CLI without waiting for it, for tests that signal or kill it mid-run. */
export function spawnBuiltCli(
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; path?: string[]; ownProcessGroup?: boolean } = {},
) {
  return execa(process.execPath, [BIN, ...args], {
    reject: false,
    // Its own process group, so a test can signal the group the way a terminal's Ctrl-C does.
    detached: options.ownProcessGroup === true,
    stdin: 'ignore',
    extendEnv: false,
    env: {
      PATH: [...(options.path ?? []), '/usr/bin', '/bin'].join(':'),
      HOME: process.env.HOME ?? '/tmp',
      ...options.env,
    },
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
}

/** Polls until `condition` holds; throws with `what` after `timeoutMs`. */
export async function waitFor(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Whether a process is still alive (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
