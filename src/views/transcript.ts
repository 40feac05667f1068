import { closeSync, fsync, fsyncSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { redactDeep, type Redactor } from '../process/redact.js';
import type { TranscriptEvent } from '../domain/events.js';
import { createPieceWriter } from './pieceWriter.js';
import { textEventPieces, type TextPiece } from './transcriptText.js';

export interface Transcript {
  /** Absolute path of the file, or null when no transcript is kept. */
  readonly path: string | null;
  record(event: TranscriptEvent): void;
  close(): void;
}

export const noTranscript: Transcript = { path: null, record: () => undefined, close: () => undefined };

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
  mkdirSync(dirname(absolute), { recursive: true });
  const fd = openSync(absolute, 'a', 0o600);
  const format: (e: TranscriptEvent) => readonly TextPiece[] = absolute.endsWith('.jsonl') ? (e) => [JSON.stringify(e), '\n'] : textEventPieces;
  const write = createPieceWriter(fd);
  let open = true;
  let syncing = false;
  let dirty = false;
  let closeWhenSynced = false;

  const syncInBackground = () => {
    if (syncing) return;
    syncing = true;
    dirty = false;
    fsync(fd, () => {
      syncing = false;
      if (closeWhenSynced) closeSync(fd);
      else if (dirty) syncInBackground();
    });
  };

  return {
    path: absolute,
    record(event) {
      if (!open) return;
      write(format(redactDeep(event, redact)));
      if (mustBeDurable(event)) fsyncSync(fd);
      else {
        dirty = true;
        syncInBackground();
      }
    },
    close() {
      if (!open) return;
      open = false;
      fsyncSync(fd);
      // A background fsync still holds the descriptor: close it when that one ends.
      if (syncing) closeWhenSynced = true;
      else closeSync(fd);
    },
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
