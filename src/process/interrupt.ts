import type { FailureKind } from '../domain/errors.js';

export interface InterruptState {
  readonly kind: FailureKind;
  readonly signal: 'SIGINT' | 'SIGTERM';
  readonly count: number;
}

export interface Interruption {
  current(): InterruptState | undefined;
  readonly signals: { readonly read: AbortSignal; readonly write: AbortSignal };
}

export interface InterruptController extends Interruption {
  /** Called for each SIGINT/SIGTERM; returns the state after it (cli/interruptMessages.ts says what it means). */
  receive(signal: 'SIGINT' | 'SIGTERM'): InterruptState;
}

/**
 * Interrupt policy. During --execute the first signal stops new work and ends the
 * waits, but lets an in-flight `helm rollback` finish: killing helm mid-rollback
 * leaves the release `pending-rollback`. The second signal ends everything. A
 * dry-run changes nothing, so it stops at once. (When the process can exit, the
 * second signal also makes it exit at once: see cli/runCli.ts.)
 */
export function createInterruptController(mode: 'dry-run' | 'execute'): InterruptController {
  const read = new AbortController();
  const write = new AbortController();
  let state: InterruptState | undefined;
  return {
    signals: { read: read.signal, write: write.signal },
    current: () => state,
    receive(signal) {
      const count = (state?.count ?? 0) + 1;
      state = { kind: signal === 'SIGINT' ? 'interrupted-sigint' : 'interrupted-sigterm', signal, count };
      read.abort();
      if (mode === 'dry-run' || count > 1) write.abort();
      return state;
    },
  };
}
