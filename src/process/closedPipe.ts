import type { Writable } from 'node:stream';

/** stdout or stderr as the CLI writes to it: a closed reader ends the output, not the run. */
export interface GuardedOutput {
  write(text: string): void;
  readonly isTTY: boolean;
  /** Called once, when the stream turns out to be closed (EPIPE: `| head -n 1`, `| true`). */
  onClosed(listener: () => void): void;
}

/**
 * Writing to a pipe whose reader has gone fails with EPIPE, which Node reports as an
 * 'error' event: unhandled, it crashes the process with a stack trace, after a dry-run
 * has already printed what was asked, or at the summary of an --execute that has
 * already rolled back. Here the stream is marked closed instead and later writes are
 * dropped: the run goes on to its outcome and its exit code. A failed write sets the
 * stream's `errored` before write() returns (the 'error' event only follows a tick
 * later), so the closure is known, and recorded, at once.
 */
export function guardOutput(stream: Writable & { readonly isTTY?: boolean }): GuardedOutput {
  let closed = false;
  const listeners: (() => void)[] = [];
  const close = () => {
    if (closed) return;
    closed = true;
    for (const listener of listeners) listener();
  };
  // Any error on stdout/stderr (EPIPE, a destroyed stream, EBADF) means nothing more can be shown.
  stream.on('error', close);
  return {
    isTTY: stream.isTTY === true,
    write(text) {
      if (closed) return;
      stream.write(text);
      if (stream.errored !== null || stream.destroyed) close();
    },
    onClosed(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
  };
}
