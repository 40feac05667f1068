/**
 * The watchdog's timing. A child gets its own `--timeout`; helm and kubectl then
 * need a moment to notice and report their own timeout, which we prefer to read.
 * A child still alive after that grace is ended: SIGTERM, then SIGKILL if it
 * ignores SIGTERM (a wedged process, or a Go binary stuck in a syscall).
 *
 * The grace is a quarter of the command's time, at least 1 s and at most 10 s: a
 * 10 m rollback gets 10 s, a 2 s one 1 s. So a child can overrun its budget by at
 * most 10 s + 5 s, and a short budget (a test, a nearly spent run) is enforced
 * within seconds.
 */
export const WATCHDOG_GRACE_MS = 10_000;
export const MIN_WATCHDOG_GRACE_MS = 1_000;
/** After SIGTERM, how long a child gets before SIGKILL, at most. */
export const MAX_FORCE_KILL_MS = 5_000;

export interface WatchdogTiming {
  /** When the watchdog sends SIGTERM, from the start of the command. */
  readonly watchdogMs: number;
  /** How long past its own time the child was allowed. */
  readonly graceMs: number;
  /** After SIGTERM, how long before SIGKILL. */
  readonly forceKillAfterMs: number;
}

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

export function watchdogGraceMs(timeoutMs: number): number {
  return Math.round(clamp(timeoutMs / 4, MIN_WATCHDOG_GRACE_MS, WATCHDOG_GRACE_MS));
}

export function watchdogTiming(timeoutMs: number): WatchdogTiming {
  const graceMs = watchdogGraceMs(timeoutMs);
  return { watchdogMs: timeoutMs + graceMs, graceMs, forceKillAfterMs: Math.min(graceMs, MAX_FORCE_KILL_MS) };
}
