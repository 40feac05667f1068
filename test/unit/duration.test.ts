import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/domain/duration.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h30m', 5_400_000],
    ['1h0m5s', 3_605_000],
    ['24h', 86_400_000],
  ])('reads %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['10', '-5m', '1y', '', '0s', '1.5m', '5m1h', ' 5m', '25h', '10M'])('refuses %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/invalid duration/);
  });
});

describe('formatDuration', () => {
  it.each([
    [600_000, '10m0s'],
    [599_999, '9m59s'],
    [5_400_000, '1h30m0s'],
    [59_000, '59s'],
    [999, '0s'],
  ])('prints %d ms as %s, rounding down', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('round-trips whole seconds', () => {
    for (const ms of [1_000, 61_000, 3_661_000, 86_400_000]) expect(parseDuration(formatDuration(ms))).toBe(ms);
  });
});
