import { checkEvent } from '../record/schemaCheck.js';
import { bufferLines, verifyLines, type LineSource, type Verdict } from '../record/verify.js';
import { escapeControls } from '../domain/sanitize.js';
import { createTextView, type RecordLine } from './textView.js';
import { joinTextPieces, type TextPiece } from './transcriptText.js';
import { summariseVerdict } from './verdict.js';

/** How every text view begins: its verdict lines start with `# `. */
export const VIEW_HEAD = '# ';

function header(source: string, generator: string, verdict: Verdict): string {
  const summary = summariseVerdict(verdict);
  return (
    `# ${escapeControls(source)}: a videokit-rollback record as text, rendered by ${generator}\n` +
    `# verification: ${summary.headline}\n` +
    (summary.digest === null ? '' : `# seal digest (sha256): ${summary.digest}\n`) +
    summary.notes.map((note) => `# note: ${note}\n`).join('') +
    (verdict.status === 'tampered'
      ? `# no line is shown: a forger can rewrite the lines before line ${verdict.line} consistently, so none of them can be trusted either\n`
      : '# JSON the tool read from helm and kubectl is summarised; the record holds it whole\n')
  );
}

/**
 * The record as its text log, verified first: the verdict heads the text, and a
 * tampered record shows no line at all: the chain only proves where it breaks, and a
 * forger can rewrite every line before the break so that they link (as the Markdown and
 * HTML reports, it shows nothing but the verdict). Two passes over the lines (verify, then render), each a line at a time, and
 * the text goes to `write` as it is made: a record of any size is never held whole.
 */
export function writeTextRecord(source: LineSource, options: TextRecordOptions, write: (pieces: readonly TextPiece[]) => void): Verdict {
  const verdict = options.verdict ?? verifyLines(source, checkEvent);
  write([header(options.source, options.generator, verdict)]);
  if (verdict.status === 'tampered') {
    write([`# ---- not shown (${summariseVerdict(verdict).headline}) ----\n`]);
    return verdict;
  }
  const view = createTextView();
  // Each line shown passed verification: JSON, and the event schema of its type.
  source((line) => write(view.line(JSON.parse(line.toString('utf8')) as RecordLine)));
  write([view.end()]);
  return verdict;
}

export interface TextRecordOptions {
  readonly source: string;
  readonly generator: string;
  /**
   * The verdict when it is already known: the run's own writer verified the file's earlier
   * runs when it opened it and wrote the rest itself (ChainWriter.verdict), so the view
   * it renders at the end needs no second pass over the record.
   */
  readonly verdict?: Verdict;
}

/** writeTextRecord of bytes held in memory, as one text. */
export function renderTextRecord(bytes: Buffer, options: TextRecordOptions): { text: string; verdict: Verdict } {
  let text = '';
  const verdict = writeTextRecord(bufferLines(bytes), options, (pieces) => (text += joinTextPieces(pieces)));
  return { text, verdict };
}
