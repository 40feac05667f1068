/**
 * Go-style durations, as helm and kubectl parse them (time.ParseDuration):
 * a sequence of <number><unit> with units h, m, s, ms. We accept a subset on
 * input (h, m, s; whole numbers) because a rollback budget below a second or
 * with fractions is a typo, not an intent.
 */
const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1_000 } as const;
const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** The longest budget we accept: a rollback that needs more than a day is not a rollback. */
export const MAX_DURATION_MS = 24 * UNIT_MS.h;

export class DurationError extends Error {}

const USE = 'use Go-style units h, m, s, e.g. 90s, 10m, 1h30m';

/** Why a text is not a duration we accept, as specific as we can say it. */
function durationProblem(text: string): string {
  if (text.trim() === '') return 'it is empty';
  if (/^\s|\s$/.test(text)) return 'it has spaces around it';
  if (/^-/.test(text)) return 'it must be positive';
  if (/^\d+$/.test(text)) return `it has no unit (did you mean ${text}s or ${text}m?)`;
  if (/\d[.,]\d/.test(text)) return 'whole numbers only';
  const unit = /\d([^\d\s]+)/g;
  for (let m = unit.exec(text); m !== null; m = unit.exec(text)) {
    const u = m[1] ?? '';
    if (!['h', 'm', 's'].includes(u)) return `unknown unit "${u}"`;
  }
  return 'units must appear once each, in the order h, m, s';
}

export function parseDuration(text: string): number {
  const match = DURATION.exec(text);
  if (text === '' || match === null) {
    throw new DurationError(`invalid duration ${JSON.stringify(text)}: ${durationProblem(text)}; ${USE}`);
  }
  const [, h = '0', m = '0', s = '0'] = match;
  const ms = Number(h) * UNIT_MS.h + Number(m) * UNIT_MS.m + Number(s) * UNIT_MS.s;
  if (ms <= 0) throw new DurationError(`invalid duration "${text}": must be greater than zero`);
  if (ms > MAX_DURATION_MS) throw new DurationError(`invalid duration "${text}": at most 24h`);
  return ms;
}

/**
 * Formats whole seconds the way Go prints a time.Duration (`10m0s`, `1h2m3s`),
 * rounding down: handing a child more time than is left would break the budget.
 */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
