import { escapeControls } from '../domain/sanitize.js';
import type { Verdict } from '../record/verify.js';

/** A verification verdict as every view states it: the same words at the top of each. */
export interface VerdictSummary {
  readonly status: Verdict['status'];
  /** One line: "intact and sealed (…)", "intact but NOT sealed: …", "TAMPERED at line N: why". */
  readonly headline: string;
  /** The seal's digest, when the record ends sealed. */
  readonly digest: string | null;
  /** What an auditor should know besides (earlier runs cut short, a torn last line). */
  readonly notes: readonly string[];
}

const counts = (v: { lines: number; runs: number }) => `${v.lines} lines, ${v.runs} run${v.runs === 1 ? '' : 's'}`;

/** Reasons and notes quote what the file holds: escaped, on one line. */
export function summariseVerdict(verdict: Verdict): VerdictSummary {
  switch (verdict.status) {
    case 'tampered':
      return { status: 'tampered', headline: `TAMPERED at line ${verdict.line}: ${escapeControls(verdict.reason)}`, digest: null, notes: [] };
    case 'unsealed':
      return {
        status: 'unsealed',
        headline: `intact but NOT sealed: the run was cut short (${counts(verdict)})`,
        digest: null,
        notes: verdict.notes.map((n) => escapeControls(n)),
      };
    case 'sealed':
      return { status: 'sealed', headline: `intact and sealed (${counts(verdict)})`, digest: verdict.digest, notes: verdict.notes.map((n) => escapeControls(n)) };
  }
}
