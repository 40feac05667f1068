import { buildReportDocument } from './document.js';
import { buildReportModel, splitRuns, selectRun, type ReportModel } from './model.js';
import { renderHtml } from './renderHtml.js';
import { renderMarkdown } from './renderMarkdown.js';
import { parseTranscript } from './transcriptSchema.js';

export type ReportFormat = 'md' | 'html';

export interface RenderedReport {
  readonly text: string;
  readonly model: ReportModel;
}

/**
 * Transcript text in, report out: nothing here asks the cluster or the clock, so the
 * same transcript always gives the same report (the README's sample is generated).
 */
export function renderReport(
  transcript: string,
  options: { format: ReportFormat; run?: number; source: string; generator: string },
): RenderedReport {
  const parsed = parseTranscript(transcript);
  const runs = splitRuns(parsed.events);
  const { position } = selectRun(runs, options.run);
  const model = buildReportModel(parsed.events, { truncated: parsed.truncated, ...(options.run === undefined ? {} : { run: options.run }) });
  const doc = buildReportDocument(model);
  const footer = `Rendered by ${options.generator} from the transcript ${options.source} (run ${position + 1} of ${runs.length}) alone; the cluster was not consulted.`;
  return { text: options.format === 'html' ? renderHtml(doc, footer) : renderMarkdown(doc, footer), model };
}
