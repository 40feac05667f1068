/** A monotonic clock, injectable so tests can control time. */
export interface Clock {
  /** Milliseconds from an arbitrary origin; only differences matter. */
  monotonicMs(): number;
  /** Wall-clock time for the transcript. */
  now(): Date;
}

export const systemClock: Clock = {
  monotonicMs: () => performance.now(),
  now: () => new Date(),
};

/** The overall --timeout of a run: every command gets what is still left. */
export interface Budget {
  readonly totalMs: number;
  remainingMs(): number;
  elapsedMs(): number;
}

export function startBudget(totalMs: number, clock: Clock): Budget {
  const start = clock.monotonicMs();
  return {
    totalMs,
    elapsedMs: () => clock.monotonicMs() - start,
    remainingMs: () => Math.max(0, totalMs - (clock.monotonicMs() - start)),
  };
}
