import { describe, expect, it } from 'vitest';
import { MAX_FORCE_KILL_MS, MIN_WATCHDOG_GRACE_MS, WATCHDOG_GRACE_MS, watchdogTiming } from '../../src/process/watchdog.js';

describe('watchdog timing', () => {
  it('gives a quarter of the command\'s time as grace, between 1 s and 10 s', () => {
    expect(watchdogTiming(600_000)).toEqual({ watchdogMs: 610_000, graceMs: WATCHDOG_GRACE_MS, forceKillAfterMs: MAX_FORCE_KILL_MS });
    expect(watchdogTiming(20_000)).toEqual({ watchdogMs: 25_000, graceMs: 5_000, forceKillAfterMs: 5_000 });
    expect(watchdogTiming(8_000)).toEqual({ watchdogMs: 10_000, graceMs: 2_000, forceKillAfterMs: 2_000 });
    expect(watchdogTiming(2_000)).toEqual({ watchdogMs: 3_000, graceMs: MIN_WATCHDOG_GRACE_MS, forceKillAfterMs: 1_000 });
    expect(watchdogTiming(0)).toEqual({ watchdogMs: 1_000, graceMs: 1_000, forceKillAfterMs: 1_000 });
  });

  it('never lets a child overrun its time by more than grace + force-kill delay (15 s)', () => {
    for (const ms of [0, 1, 999, 1_000, 3_999, 40_000, 86_400_000]) {
      const t = watchdogTiming(ms);
      expect(t.watchdogMs - ms + t.forceKillAfterMs).toBeLessThanOrEqual(WATCHDOG_GRACE_MS + MAX_FORCE_KILL_MS);
      expect(t.watchdogMs).toBeGreaterThan(ms);
    }
  });
});
