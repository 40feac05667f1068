import { buildReportDocument, type ReportDocument } from './document.js';
import { buildReportModel, splitRuns, selectRun, type ReportModel } from './model.js';
import { renderHtml } from './renderHtml.js';
import { renderMarkdown } from './renderMarkdown.js';
import { parseTranscript } from './transcriptSchema.js';
import { verdictBlocks } from './verdictBlocks.js';
import { checkEvent } from '../../record/schemaCheck.js';
import { verifyTranscript, type Verdict } from '../../record/verify.js';
import { summariseVerdict } from '../verdict.js';
import { renderTextRecord } from '../textRecord.js';

export type ReportFormat = 'md' | 'html' | 'text';

export interface RenderedReport {
  readonly text: string;
  readonly verdict: Verdict;
  /** null when the record is tampered: nothing is rendered from it. */
  readonly model: ReportModel | null;
}

interface ReportOptions {
  readonly format: ReportFormat;
  readonly run?: number;
  readonly source: string;
  readonly generator: string;
}

function layOut(doc: ReportDocument, format: 'md' | 'html', footer: string): string {
  return format === 'html' ? renderHtml(doc, footer) : renderMarkdown(doc, footer);
}

/**
 * The record's bytes in, report out, verified first (the check `verify` makes): the
 * verdict and the seal digest head the report, and a tampered record gets only its
 * verdict. Nothing here asks the cluster or the clock, so the same record always
 * gives the same report (the README's sample is generated).
 */
export function renderReport(bytes: Buffer, options: ReportOptions): RenderedReport {
  if (options.format === 'text') return { ...renderTextRecord(bytes, options), model: null };
  const verdict = verifyTranscript(bytes, checkEvent);
  const summary = summariseVerdict(verdict);
  if (verdict.status === 'tampered') {
    const doc = { title: `TAMPERED record: ${options.source}`, blocks: verdictBlocks(summary, options.source) };
    return { text: layOut(doc, options.format, `Rendered by ${options.generator}: only the verification verdict of ${options.source}.`), verdict, model: null };
  }
  const parsed = parseTranscript(bytes.toString('utf8'));
  const runs = splitRuns(parsed.events);
  const { position } = selectRun(runs, options.run);
  const model = buildReportModel(parsed.events, { truncated: parsed.truncated, ...(options.run === undefined ? {} : { run: options.run }) });
  const doc = buildReportDocument(model);
  const footer = `Rendered by ${options.generator} from the transcript ${options.source} (run ${position + 1} of ${runs.length}) alone; the cluster was not consulted.`;
  return { text: layOut({ ...doc, blocks: [...verdictBlocks(summary, options.source), ...doc.blocks] }, options.format, footer), verdict, model };
}
