import type { CommandSpec } from '../commands/spec.js';

/** What one external command did; shaped like zx's ProcessOutput, for the transcript. */
export interface CommandResult {
  /** null when the process was killed by a signal or never started. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  /** The watchdog ended it: it outlived its own --timeout by the grace period. */
  readonly timedOut: boolean;
  /** Set when the process could not be started at all (missing binary, permissions). */
  readonly spawnError?: string;
}

export interface RunOptions {
  /** Hard limit after which the runner kills the process (SIGTERM, then SIGKILL). */
  readonly watchdogMs: number;
  /** Aborting ends the process early (interrupts). */
  readonly signal?: AbortSignal;
}

/** Runs one command. The real one uses execa; tests inject a recording fake. */
export interface CommandRunner {
  run(spec: CommandSpec, options: RunOptions): Promise<CommandResult>;
}

export function succeeded(result: CommandResult): boolean {
  return result.exitCode === 0 && !result.timedOut && result.spawnError === undefined;
}
