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
  const result = await execa(process.execPath, [BIN, ...args], {
    reject: false,
    stdin: 'ignore',
    extendEnv: false,
    env: {
      PATH: [...(options.path ?? []), '/usr/bin', '/bin'].join(':'),
      HOME: process.env.HOME ?? '/tmp',
      ...options.env,
    },
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
  });
  return { exitCode: result.exitCode, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}
