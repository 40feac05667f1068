import { describe, expect, it } from 'vitest';
import { backoffDelayMs, checkUrls, displayUrl, MIN_ATTEMPT_MS, type ReadinessOptions } from '../../src/execute/readiness.js';
import { startBudget } from '../../src/process/budget.js';

/** A fake clock that only moves when the checker sleeps (or a response "takes" time). */
function harness(answers: Record<string, (number | Error)[]>, budgetMs: number, sleepOvershootMs = 0) {
  let now = 0;
  const clock = { monotonicMs: () => now, now: () => new Date(now) };
  const sleeps: number[] = [];
  const options: ReadinessOptions = {
    budget: startBudget(budgetMs, clock),
    fetch: async (url) => {
      now += 100;
      const answer = answers[url]?.shift() ?? 503;
      if (answer instanceof Error) throw answer;
      return { status: answer, body: null };
    },
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms + sleepOvershootMs;
    },
    monotonicMs: () => now,
    stopped: () => false,
  };
  return { options, sleeps };
}

describe('readiness checks (--check-url)', () => {
  it('backs off exponentially up to a cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(n))).toEqual([500, 1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('polls until 2xx, counting attempts', async () => {
    const { options, sleeps } = harness({ 'http://svc/readyz': [new TypeError('fetch failed'), 503, 204] }, 60_000);
    const [result] = await checkUrls(['http://svc/readyz'], options);
    expect(result).toMatchObject({ url: 'http://svc/readyz', ok: true, attempts: 3, lastStatus: 204, lastError: null });
    expect(sleeps).toEqual([500, 1000]);
  });

  it('gives up when the budget is spent, never sleeping past it, and reports the last answer', async () => {
    const { options, sleeps } = harness({ 'http://svc/readyz': [] }, 3_000);
    const [result] = await checkUrls(['http://svc/readyz'], options);
    expect(result).toMatchObject({ ok: false, lastStatus: 503, lastError: 'HTTP 503' });
    expect(sleeps.reduce((a, b) => a + b, 0) + (result?.attempts ?? 0) * 100).toBeLessThanOrEqual(3_000);
    expect(result?.attempts).toBe(3);
  });

  it('starts no attempt, and sleeps toward none, with less than MIN_ATTEMPT_MS of the budget left', async () => {
    // Timers that fire a little early leave a few milliseconds of budget after a sleep.
    const { options, sleeps } = harness({ 'http://svc/readyz': [] }, 3_650, -5);
    const [result] = await checkUrls(['http://svc/readyz'], options);
    // Attempts at 0, 595 and 1690 ms; then 1,860 ms would be left, less than a 2 s backoff plus MIN_ATTEMPT_MS.
    expect(sleeps).toEqual([500, 1000]);
    expect(result).toMatchObject({ ok: false, attempts: 3, lastStatus: 503, lastError: 'HTTP 503' });
    expect(MIN_ATTEMPT_MS).toBe(500);

    // With 2,500 ms left at 1,790 ms, the 2 s sleep leaves just enough (505 ms): a fourth attempt.
    const late = harness({ 'http://svc/readyz': [] }, 4_290, -5);
    const [lastChance] = await checkUrls(['http://svc/readyz'], late.options);
    expect(late.sleeps).toEqual([500, 1000, 2000]);
    expect(lastChance).toMatchObject({ attempts: 4, lastStatus: 503, lastError: 'HTTP 503' });
  });

  it('masks credentials in a URL', () => {
    expect(displayUrl('https://user:secret@svc.example/readyz')).toBe('https://***@svc.example/readyz');
    expect(displayUrl('https://svc.example/readyz')).toBe('https://svc.example/readyz');
  });
});
