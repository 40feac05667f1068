import type { Ora } from 'ora';
import type { Clock } from '../process/budget.js';
import type { CommandRunner } from '../process/runner.js';

export interface OutStream {
  write(text: string): void;
  readonly isTTY: boolean;
  /** Registers what to do when the reader has gone (EPIPE); the stream drops writes from then on. */
  onClosed?(listener: () => void): void;
}

/** Everything a run needs from the outside world; tests pass fakes. */
export interface CliDeps {
  readonly argv: readonly string[];
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdout: OutStream;
  readonly stderr: OutStream;
  readonly stdinIsTTY: boolean;
  readonly runner: CommandRunner;
  readonly clock: Clock;
  readonly tool: { readonly name: string; readonly version: string };
  readonly findExecutable: (file: string, env: NodeJS.ProcessEnv, cwd: string) => string | undefined;
  readonly confirm: (question: string, signal: AbortSignal) => Promise<boolean>;
  /** Registers a handler for SIGINT/SIGTERM; returns the unregister function. */
  readonly onSignal: (handler: (signal: 'SIGINT' | 'SIGTERM') => void) => () => void;
  /**
   * Ends the process at once with this code (a second interrupt). Without it a
   * second signal only kills the children and the run ends as usual.
   */
  readonly exitNow?: (code: number) => void;
  /** Creates a spinner on stderr (only called on a terminal). */
  readonly createSpinner?: () => Promise<Ora | undefined>;
}
