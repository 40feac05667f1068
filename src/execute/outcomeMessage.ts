import type { ReleaseResult } from './executeRollback.js';

/** The outcome line of a successful --execute: says which releases needed no write. */
export function executedMessage(releases: readonly ReleaseResult[]): string {
  const already = releases.filter((r) => r.result === 'already-rolled-back' || r.result === 'already-applied');
  if (already.length === 0) return 'every planned release rolled back and healthy';
  const now = releases.filter((r) => r.result === 'rolled-back').length;
  const names = already.map((r) => r.release).join(', ');
  if (now === 0) return `every release was already rolled back (${names}); nothing was changed`;
  return `every release is rolled back: ${now} now and healthy, ${already.length} already before this run (${names})`;
}
