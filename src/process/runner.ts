import type { CommandSpec } from '../domain/commandSpec.js';
import type { KeepOutput, OutputListener } from './outputCapture.js';

/** What one external command did; shaped like zx's ProcessOutput, for the transcript. */
export interface CommandResult {
  /** null when the process was killed by a signal or never started. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** What the command printed, as much as is kept in memory (RunOptions.keep); the transcript has it all. */
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
  /** After the watchdog's SIGTERM, how long before SIGKILL (default 5 s). */
  readonly forceKillAfterMs?: number;
  /** Aborting ends the process early (interrupts). */
  readonly signal?: AbortSignal;
  /** Receives the output as it arrives (the gate writes it to the transcript). */
  readonly onOutput?: OutputListener;
  /** What of each stream the result keeps in memory; default: all of it. */
  readonly keep?: KeepOutput;
}

/** A child that is running now, for forwarding a signal to it. */
export interface RunningChild {
  readonly pid: number;
  readonly file: string;
}

/** Runs one command. The real one uses execa; tests inject a recording fake. */
export interface CommandRunner {
  run(spec: CommandSpec, options: RunOptions): Promise<CommandResult>;
  /**
   * Sends `signal` to every child still running and returns them. Used on a second
   * interrupt, when the tool exits at once instead of waiting for its children.
   */
  signalRunning?(signal: NodeJS.Signals): RunningChild[];
}

export function succeeded(result: CommandResult): boolean {
  return result.exitCode === 0 && !result.timedOut && result.spawnError === undefined;
}
