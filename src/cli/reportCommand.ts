import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { usageError } from '../domain/errors.js';
import { renderReport, type ReportFormat } from '../views/report/renderReport.js';
import { TranscriptError } from '../views/report/transcriptSchema.js';
import type { Verdict } from '../record/verify.js';

/** `report` options exactly as commander hands them over. */
export interface RawReportOptions {
  output?: string;
  format?: string;
  run?: string;
}

export interface ReportRequest {
  readonly transcript: string;
  readonly output: string | undefined;
  readonly format: ReportFormat;
  readonly run: number | undefined;
}

/** --format wins; else the output file's extension (.html/.htm, .log/.txt); else Markdown. */
export function resolveReportRequest(transcript: string, raw: RawReportOptions): ReportRequest {
  if (raw.output === '') throw usageError('--output needs a file path');
  let run: number | undefined;
  if (raw.run !== undefined) {
    if (!/^[1-9]\d{0,5}$/.test(raw.run)) throw usageError(`--run "${raw.run}" must be a positive whole number`);
    run = Number(raw.run);
  }
  const fromExtension = (output: string | undefined): ReportFormat =>
    output !== undefined && /\.html?$/i.test(output) ? 'html' : output !== undefined && /\.(log|txt)$/i.test(output) ? 'text' : 'md';
  const format: ReportFormat = raw.format === 'html' || raw.format === 'md' || raw.format === 'text' ? raw.format : fromExtension(raw.output);
  if (format === 'text' && run !== undefined) throw usageError('--run picks a run for the md and html reports; the text log shows every run of the record');
  return { transcript, output: raw.output, format, run };
}

/** Reads and verifies the record, renders, writes the file or returns the text for stdout. */
export function produceReport(request: ReportRequest, cwd: string, generator: string): { text: string; written: string | null; verdict: Verdict } {
  const path = resolve(cwd, request.transcript);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw usageError(`cannot read the transcript ${request.transcript}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let rendered: ReturnType<typeof renderReport>;
  try {
    rendered = renderReport(bytes, {
      format: request.format,
      source: basename(path),
      generator,
      ...(request.run === undefined ? {} : { run: request.run }),
    });
  } catch (error) {
    if (error instanceof TranscriptError || error instanceof RangeError) {
      throw usageError(`${request.transcript}: ${error.message}`, 'the report reads JSON Lines transcripts (--transcript <file>.jsonl)');
    }
    throw error;
  }
  const { text, verdict } = rendered;
  if (request.output === undefined) return { text, written: null, verdict };
  const out = resolve(cwd, request.output);
  try {
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, text);
  } catch (error) {
    throw usageError(`cannot write the report ${request.output}: ${(error as Error).message}`);
  }
  return { text, written: out, verdict };
}
