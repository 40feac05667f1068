import { closeSync, fchmodSync, openSync, readSync } from 'node:fs';
import { createPieceWriter } from './pieceWriter.js';
import { basename, extname, join, resolve } from 'node:path';
import { redactDeep, type Redactor } from '../process/redact.js';
import type { TranscriptEvent } from '../domain/events.js';
import { openChainWriter } from '../record/writer.js';
import { checkEvent } from '../record/schemaCheck.js';
import { VIEW_HEAD, writeTextRecord } from './textRecord.js';
import { recordFileLines, type Verdict } from '../record/verify.js';

export interface Transcript {
  /** Absolute path of the record (JSON Lines), or null when no record is kept. */
  readonly path: string | null;
  /** Where the text view of the record is written at the end of the run, or null. */
  readonly view: string | null;
  record(event: TranscriptEvent): void;
  /** Ends the record with its seal, whose digest is returned (null when no record is kept). */
  seal(): string | null;
  close(): void;
  /** What `verify` says of the record as written so far (null when no record is kept). */
  verdict(): Verdict | null;
}

export const noTranscript: Transcript = { path: null, view: null, record: () => undefined, seal: () => null, close: () => undefined, verdict: () => null };

/**
 * Events that must be on disk before the run goes on: everything recorded so far is
 * flushed before each command starts (so the record of a command that changes the
 * cluster exists before it runs), at the confirmation, and at the outcome.
 */
function mustBeDurable(event: TranscriptEvent): boolean {
  return event.type === 'command-start' || event.type === 'confirmation' || event.type === 'outcome';
}

/** The record and its text view: one path names both (see recordPaths). */
export interface RecordPaths {
  readonly record: string;
  readonly view: string;
}

/**
 * The record is always JSON Lines. `x.jsonl` names it, and its view is `x.log` beside
 * it; any other name (`x.log`, as scripts written for the text log pass) names the
 * view, and the record is `x.jsonl` beside it.
 */
export function recordPaths(path: string): RecordPaths {
  const absolute = resolve(path);
  if (absolute.endsWith('.jsonl')) return { record: absolute, view: `${absolute.slice(0, -'.jsonl'.length)}.log` };
  const extension = extname(absolute);
  return { record: `${extension === '' ? absolute : absolute.slice(0, -extension.length)}.jsonl`, view: absolute };
}

/**
 * Appends events to the record as they happen, hash-chained (src/record/chain.ts): each
 * event one line carrying `seq` and `prev`, and a seal at the end of the run. Each line
 * is written at once (a killed run leaves its record up to the last event); fsync runs
 * before each command starts, at the confirmation and at the outcome (src/record/writer.ts).
 * Created with mode 0600: it holds command output an outsider has no business reading.
 * Appending keeps earlier runs; a file that does not verify is refused (the caller
 * reports it as a usage error before anything else happens). Every event goes through
 * `redact` first: no credential reaches the file.
 */
export function openTranscript(path: string | RecordPaths, redact: Redactor = (text) => text): Transcript {
  const paths = typeof path === 'string' ? recordPaths(path) : path;
  const writer = openChainWriter(paths.record, checkEvent);
  return {
    path: paths.record,
    view: paths.view,
    record: (event) => writer.append(redactDeep(event, redact), mustBeDurable(event)),
    seal: () => writer.seal(),
    close: () => writer.close(),
    verdict: () => writer.verdict(),
  };
}

/**
 * Writes the text view of the record at `recordPath` to `viewPath` (mode 0600, like the
 * record), replacing what was there: the view covers every run the record holds. Given
 * the writer's `verdict`, the record is read once (to render), not twice.
 * Synchronous, so that a run ending at once on a second interrupt still leaves it.
 */
export function writeTextView(recordPath: string, viewPath: string, generator: string, verdict?: Verdict): void {
  const fd = openSync(viewPath, 'w', 0o600);
  try {
    fchmodSync(fd, 0o600);
    writeTextRecord(recordFileLines(recordPath), { source: basename(recordPath), generator, ...(verdict === undefined ? {} : { verdict }) }, createPieceWriter(fd));
  } finally {
    closeSync(fd);
  }
}

/**
 * A text log that is not a view of a record (one written live by earlier versions, with
 * earlier runs in it) is not overwritten by a view: the run is refused before it starts.
 */
export function legacyTextLog(viewPath: string): boolean {
  let fd: number;
  try {
    fd = openSync(viewPath, 'r');
  } catch {
    return false;
  }
  try {
    const head = Buffer.alloc(2);
    return readSync(fd, head, 0, 2, 0) > 0 && head.toString('latin1') !== VIEW_HEAD.slice(0, 2);
  } finally {
    closeSync(fd);
  }
}

/** reports/deploy/videokit-rollback-20261126T084810Z.jsonl: sortable, colon-free for every filesystem. */
export function defaultTranscriptPath(now: Date, directory = 'reports/deploy'): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return join(directory, `videokit-rollback-${stamp}.jsonl`);
}

/** A drill's report sits next to its record: drill.jsonl -> drill.md. */
export function reportPathFor(transcriptPath: string): string {
  return transcriptPath.replace(/\.jsonl$/, '') + '.md';
}

/** A transcript that holds its events until the file is open, then writes to it. */
export interface DeferredTranscript extends Transcript {
  /** Writes `first`, then every event held so far, to `target`; everything after goes straight there. */
  attach(target: Transcript, first: TranscriptEvent): void;
}

/**
 * The reads that describe the run (versions, kubeconfig, the signing key's check) go
 * through the gate before run-start can be written, since run-start holds their
 * answers. Their events wait here, so the file still opens with run-start. Nothing
 * is written when the run is refused before the file opens (an unusable key).
 */
export function deferredTranscript(): DeferredTranscript {
  const held: TranscriptEvent[] = [];
  let target: Transcript | null = null;
  return {
    get path() {
      return target?.path ?? null;
    },
    get view() {
      return target?.view ?? null;
    },
    record(event) {
      if (target === null) held.push(event);
      else target.record(event);
    },
    attach(next, first) {
      target = next;
      next.record(first);
      for (const event of held.splice(0)) next.record(event);
    },
    seal: () => target?.seal() ?? null,
    close: () => target?.close(),
    verdict: () => target?.verdict() ?? null,
  };
}
