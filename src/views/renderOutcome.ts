import type { ChalkInstance } from 'chalk';
import type { Outcome } from '../domain/outcome.js';
import type { Redactor } from '../process/redact.js';
import { escapeControls } from '../domain/sanitize.js';

/** A failed run on stderr: one error line, its details, its hint. They echo input and helm's own words: redacted, one line each, escaped. */
export function renderFailure(outcome: Outcome, c: ChalkInstance, redact: Redactor): string {
  const safe = (text: string) => escapeControls(redact(text));
  const lines = [`${c.red('videokit-rollback: error:')} ${safe(outcome.message)}`, ...outcome.details.map((detail) => `  ${safe(detail)}`)];
  if (outcome.hint !== null) lines.push(`  hint: ${safe(outcome.hint)}`);
  return `${lines.join('\n')}\n`;
}
