import { quoteArg } from '../../domain/shellQuote.js';
import type { VerdictSummary } from '../verdict.js';
import type { Block, Inline } from './document.js';

const STATUS = { sealed: 'ok', unsealed: 'warn', tampered: 'bad' } as const;

/**
 * The verification verdict, first in every report: what `verify` says of the record
 * the report was rendered from, and the seal digest to compare with the one kept
 * outside the file (CI log, ticket, annotation).
 */
export function verdictBlocks(verdict: VerdictSummary, source: string): Block[] {
  const rows: Inline[][] = [
    ['Record', { code: source }],
    ['Verdict', { status: STATUS[verdict.status], text: verdict.headline }],
    ['Seal digest (sha256)', verdict.digest === null ? 'none: the record ends without a seal' : { code: verdict.digest }],
  ];
  if (verdict.digest !== null) rows.push(['Check it', { command: ['videokit-rollback', 'verify', source, '--digest', verdict.digest].map(quoteArg) }]);
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: 'Verification' }, { kind: 'table', head: ['', ''], rows, keyValue: true }];
  if (verdict.notes.length > 0) blocks.push({ kind: 'list', ordered: false, items: verdict.notes.map((note) => ({ status: 'warn', text: note })) });
  if (verdict.status === 'tampered') {
    blocks.push({
      kind: 'para',
      content: { status: 'bad', text: 'The record does not verify: nothing in it can be trusted, so no report is rendered from it. Compare it with the copies kept elsewhere and with the seal digest printed when the run ended.' },
    });
  }
  return blocks;
}
