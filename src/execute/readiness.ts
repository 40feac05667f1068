import type { Budget } from '../process/budget.js';
import { displayUrl } from '../process/redact.js';
import type { ReadinessResult } from '../domain/vocabulary.js';

export type { ReadinessResult };
export { displayUrl };

export interface ReadinessOptions {
  /** What is left of --timeout: no check outlives it. */
  readonly budget: Budget;
  readonly fetch: (url: string, init: { signal: AbortSignal }) => Promise<{ status: number; body: { cancel(): Promise<void> } | null }>;
  readonly sleep: (ms: number) => Promise<void>;
  readonly monotonicMs: () => number;
  /** Set once the operator asked to stop: no new attempt starts. */
  readonly stopped: () => boolean;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
  readonly requestTimeoutMs?: number;
}

export const INITIAL_DELAY_MS = 500;
export const MAX_DELAY_MS = 8_000;
export const REQUEST_TIMEOUT_MS = 5_000;
/**
 * No attempt starts with less of the budget left: a request given a few milliseconds
 * can only time out, and "no answer in time" would then replace the last real
 * answer (`HTTP 503`) in the report. Nor does the checker sleep into that moment.
 */
export const MIN_ATTEMPT_MS = 500;

/** Exponential backoff between attempts: 0.5 s, 1 s, 2 s, … capped, like the drill's retried `curl -fsS`. */
export function backoffDelayMs(attempt: number, initialMs = INITIAL_DELAY_MS, maxMs = MAX_DELAY_MS): number {
  return Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
}


function describeError(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (error.name === 'TimeoutError' || error.name === 'AbortError') return 'no answer in time';
    if (cause instanceof Error) return `${error.message}: ${cause.message}`;
    return error.message;
  }
  return String(error);
}

async function checkOne(url: string, options: ReadinessOptions): Promise<ReadinessResult> {
  const started = options.monotonicMs();
  let attempts = 0;
  let lastStatus: number | null = null;
  let lastError: string | null = null;
  for (;;) {
    const left = options.budget.remainingMs();
    if (left < MIN_ATTEMPT_MS || options.stopped()) break;
    attempts += 1;
    try {
      const response = await options.fetch(url, { signal: AbortSignal.timeout(Math.max(1, Math.floor(Math.min(options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS, left)))) });
      await response.body?.cancel();
      lastStatus = response.status;
      lastError = response.status >= 200 && response.status < 300 ? null : `HTTP ${response.status}`;
      if (lastError === null) return { url: displayUrl(url), ok: true, attempts, lastStatus, lastError, durationMs: Math.round(options.monotonicMs() - started) };
    } catch (error) {
      lastStatus = null;
      lastError = describeError(error);
    }
    const wait = backoffDelayMs(attempts, options.initialDelayMs, options.maxDelayMs);
    if (options.budget.remainingMs() - wait < MIN_ATTEMPT_MS) break;
    await options.sleep(wait);
  }
  return {
    url: displayUrl(url),
    ok: false,
    attempts,
    lastStatus,
    lastError: options.stopped() ? `stopped by an interrupt${lastError === null ? '' : ` (last: ${lastError})`}` : (lastError ?? 'the --timeout budget ran out before the first attempt'),
    durationMs: Math.round(options.monotonicMs() - started),
  };
}

/**
 * After the rollouts: polls every URL at once until it answers 2xx, with backoff,
 * within what is left of the budget. Redirects are followed (fetch's default).
 */
export async function checkUrls(urls: readonly string[], options: ReadinessOptions): Promise<ReadinessResult[]> {
  return Promise.all(urls.map((url) => checkOne(url, options)));
}
