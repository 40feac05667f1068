import type { ChalkInstance } from 'chalk';
import type { Outcome } from '../domain/outcome.js';
import type { Redactor } from '../process/redact.js';

/** A failed run on stderr: one error line, its details, its hint; text from outside redacted. */
export function renderFailure(outcome: Outcome, c: ChalkInstance, redact: Redactor): string {
  const lines = [`${c.red('videokit-rollback: error:')} ${redact(outcome.message)}`, ...outcome.details.map((detail) => `  ${redact(detail)}`)];
  if (outcome.hint !== null) lines.push(`  hint: ${redact(outcome.hint)}`);
  return `${lines.join('\n')}\n`;
}
