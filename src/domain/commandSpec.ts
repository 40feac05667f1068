import type { CommandEffect } from './vocabulary.js';
import { quoteCommand } from './shellQuote.js';

export type { CommandEffect };

export interface CommandSpec {
  readonly tool: 'helm' | 'kubectl';
  readonly effect: CommandEffect;
  /** The executable as the operator named it (`helm`, `/opt/helm/helm`). */
  readonly file: string;
  /** Arguments after the executable; never passed through a shell. */
  readonly args: readonly string[];
  /** Why we run it, in a few words, for progress lines and the transcript. */
  readonly purpose: string;
  /**
   * The time the command is allowed, when the command itself carries a --timeout.
   * The runner's watchdog ends it a grace period after that.
   */
  readonly timeoutMs?: number;
  /**
   * The output may hold secrets (`helm get manifest` prints Secret data): the gate
   * records only its size and sha256 in the transcript and the JSON document.
   */
  readonly sensitiveOutput?: boolean;
  /**
   * The output is evidence, not read by the tool: it all goes to the transcript as
   * it arrives, but only part of it stays in memory for the summary and the JSON
   * report. `head`: its first MiB (output with a shape: helm rollback, the Pod
   * listing). `tail`: its last 64 KiB, whole lines (a progress stream: rollout
   * status, whose last lines say how it ended). Unset: the tool parses the output,
   * and it is kept whole.
   */
  readonly keepOutput?: 'head' | 'tail';
}

/** The one way a command is shown: dry-run output, progress lines and the transcript all use it. */
export function formatCommand(spec: Pick<CommandSpec, 'file' | 'args'>): string {
  return quoteCommand([spec.file, ...spec.args]);
}

/** Where every helm and kubectl call goes: both are required, never the shell's defaults. */
export interface ClusterTarget {
  readonly context: string;
  readonly namespace: string;
}
