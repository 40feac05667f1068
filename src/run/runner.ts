import type { CommandSpec } from '../commands/spec.js';
import type { OutputListener } from './outputCapture.js';

/** What one external command did; shaped like zx's ProcessOutput, for the transcript. */
export interface CommandResult {
  /** null when the process was killed by a signal or never started. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** What the command printed, up to the limit kept in memory (RunOptions.keepChars); the transcript has it all. */
  readonly stdout: string;
  readonly stderr: string;
  /** Present when output went past that limit: how many bytes of each stream are only in the transcript. */
  readonly omittedBytes?: { readonly stdout: number; readonly stderr: number };
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
  /** Receives the output as it arrives (the gate writes it to the transcript). */
  readonly onOutput?: OutputListener;
  /** Characters of each stream the result keeps in memory; default: all. */
  readonly keepChars?: number;
}

/** Runs one command. The real one uses execa; tests inject a recording fake. */
export interface CommandRunner {
  run(spec: CommandSpec, options: RunOptions): Promise<CommandResult>;
}

export function succeeded(result: CommandResult): boolean {
  return result.exitCode === 0 && !result.timedOut && result.spawnError === undefined;
}
