import { mkdirSync, openSync } from 'node:fs';
import { durableFd } from '../record/durableFd.js';
import { dirname, join, resolve } from 'node:path';
import { redactDeep, type Redactor } from '../process/redact.js';
import type { TranscriptEvent } from '../domain/events.js';
import { createPieceWriter } from './pieceWriter.js';
import { openChainWriter } from '../record/writer.js';
import { checkEvent } from '../record/schemaCheck.js';
import { textEventPieces, type TextPiece } from './transcriptText.js';

export interface Transcript {
  /** Absolute path of the file, or null when no transcript is kept. */
  readonly path: string | null;
  record(event: TranscriptEvent): void;
  /** Ends the record: a JSON Lines transcript gets its seal, whose digest is returned. */
  seal(): string | null;
  close(): void;
}

export const noTranscript: Transcript = { path: null, record: () => undefined, seal: () => null, close: () => undefined };

/**
 * Events that must be on disk before the run goes on: everything recorded so far is
 * flushed before each command starts (so the record of a command that changes the
 * cluster exists before it runs), at the confirmation, and at the outcome.
 */
function mustBeDurable(event: TranscriptEvent): boolean {
  return event.type === 'command-start' || event.type === 'confirmation' || event.type === 'outcome';
}

/**
 * Appends events to a file as they happen. Each event is written at once with a
 * synchronous write: once write() returns the kernel has it, so a run that is
 * interrupted or killed still leaves its record up to the last event. fsync (which
 * only adds safety against the machine itself crashing, and costs milliseconds)
 * runs in the background, coalesced, for output as it streams in, and synchronously
 * before each command starts and at the outcome. `.jsonl` gets JSON Lines; anything else a text
 * log. Created with mode 0600: transcripts hold command output an outsider has no
 * business reading. Appending keeps earlier runs. Every event goes through `redact`
 * first: no credential reaches the file.
 */
export function openTranscript(path: string, redact: Redactor = (text) => text): Transcript {
  const absolute = resolve(path);
  if (absolute.endsWith('.jsonl')) return openChainedTranscript(absolute, redact);
  mkdirSync(dirname(absolute), { recursive: true });
  const fd = openSync(absolute, 'a', 0o600);
  const format: (e: TranscriptEvent) => readonly TextPiece[] = textEventPieces;
  const write = createPieceWriter(fd);
  const file = durableFd(fd);
  return {
    path: absolute,
    record(event) {
      if (!file.open) return;
      write(format(redactDeep(event, redact)));
      file.written(mustBeDurable(event));
    },
    seal() {
      file.close();
      return null;
    },
    close: () => file.close(),
  };
}

/**
 * JSON Lines, hash-chained (src/record/chain.ts): each event one line carrying `seq` and
 * `prev`, and a seal at the end of the run. Appending to a file that does not verify is
 * refused: the caller reports it as a usage error before anything else happens.
 */
function openChainedTranscript(path: string, redact: Redactor): Transcript {
  const writer = openChainWriter(path, checkEvent);
  return {
    path,
    record: (event) => writer.append(redactDeep(event, redact), mustBeDurable(event)),
    seal: () => writer.seal(),
    close: () => writer.close(),
  };
}

/** reports/deploy/videokit-rollback-20261126T084810Z.log: sortable, colon-free for every filesystem. */
export function defaultTranscriptPath(now: Date, directory = 'reports/deploy', extension: '.log' | '.jsonl' = '.log'): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return join(directory, `videokit-rollback-${stamp}${extension}`);
}

/** A drill's report sits next to its transcript: drill.jsonl -> drill.md. */
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
  };
}
