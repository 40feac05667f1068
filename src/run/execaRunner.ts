import { execa } from 'execa';
import type { CommandSpec } from '../commands/spec.js';
import type { CommandResult, CommandRunner, RunOptions } from './runner.js';

/** After SIGTERM, how long a child gets before SIGKILL. */
const FORCE_KILL_AFTER_MS = 5_000;

/** Runs argv arrays with execa: never through a shell, stdin closed so nothing can prompt. */
export function createExecaRunner(env: NodeJS.ProcessEnv = process.env): CommandRunner {
  return {
    async run(spec: CommandSpec, options: RunOptions): Promise<CommandResult> {
      const started = performance.now();
      const result = await execa(spec.file, [...spec.args], {
        reject: false,
        shell: false,
        stdin: 'ignore',
        env,
        extendEnv: false,
        timeout: options.watchdogMs,
        forceKillAfterDelay: FORCE_KILL_AFTER_MS,
        ...(options.signal === undefined ? {} : { cancelSignal: options.signal }),
        stripFinalNewline: false,
        maxBuffer: 64 * 1024 * 1024,
      });
      const durationMs = Math.round(performance.now() - started);
      const spawnError = result.failed && result.exitCode === undefined && result.signal === undefined
        ? (result.cause instanceof Error ? result.cause.message : result.shortMessage)
        : undefined;
      return {
        exitCode: result.exitCode ?? null,
        signal: result.signal ?? null,
        stdout: String(result.stdout ?? ''),
        stderr: String(result.stderr ?? ''),
        durationMs,
        timedOut: result.timedOut,
        ...(spawnError === undefined ? {} : { spawnError }),
      };
    },
  };
}
