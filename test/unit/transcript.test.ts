import { mkdtempSync, openSync, closeSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../src/domain/events.js';
import { createPieceWriter } from '../../src/views/pieceWriter.js';
import { openTranscript } from '../../src/views/transcript.js';
import { formatTextEvent, joinTextPieces, textEventPieces, type TextPiece } from '../../src/views/transcriptText.js';

const TIME = '2026-11-26T12:00:00.000Z';

function tempFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'vkr-transcript-')), name);
}

/** What createPieceWriter puts in a file for these events' pieces, one event after the other. */
function writtenBytes(events: readonly (readonly TextPiece[])[]): string {
  const path = tempFile('pieces.log');
  const fd = openSync(path, 'w');
  try {
    const write = createPieceWriter(fd);
    for (const pieces of events) write(pieces);
  } finally {
    closeSync(fd);
  }
  return readFileSync(path, 'utf8');
}

const output = (text: string, id = 7): TranscriptEvent => ({ type: 'command-output', time: TIME, id, stream: 'stdout', text });

describe('text transcript format', () => {
  it('prefixes every line of command output, blank ones too, and ends it with a newline', () => {
    expect(formatTextEvent(output('Waiting for deployment "api"...\n\ndone'))).toBe(
      `${TIME} [7] stdout:\n    | Waiting for deployment "api"...\n    | \n    | done\n`,
    );
    expect(formatTextEvent(output('\nx\n'))).toBe(`${TIME} [7] stdout:\n    | \n    | x\n`);
    expect(formatTextEvent(output(''))).toBe('');
  });
});

describe('createPieceWriter', () => {
  it('writes exactly the text the pieces join to', () => {
    const pieces = textEventPieces(output('line “one”\nline two\n'));
    expect(writtenBytes([pieces])).toBe(joinTextPieces(pieces));
  });

  it('handles events larger than its buffer, and smaller ones after them', () => {
    const line = 'Waiting for deployment "videokit-api" rollout to finish: 2 of 3 updated replicas are available...\n';
    const big = textEventPieces(output(line.repeat(8000))); // ~800 kB of output, more with prefixes
    const small = textEventPieces(output('done\n', 8));
    expect(writtenBytes([small, big, small])).toBe(joinTextPieces(small) + joinTextPieces(big) + joinTextPieces(small));
  });

  it('agrees with joinTextPieces for any text, lines and characters (properties)', () => {
    const text = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constant('\n'), fc.constant('\n\n')), { maxLength: 30 }).map((parts) => parts.join(''));
    const piece: fc.Arbitrary<TextPiece> = fc.oneof(text, fc.record({ linePrefix: fc.constantFrom('    | ', '    ', '» '), text }));
    fc.assert(
      fc.property(fc.array(fc.array(piece, { maxLength: 4 }), { maxLength: 4 }), (events) => {
        expect(writtenBytes(events)).toBe(events.map(joinTextPieces).join(''));
      }),
      { numRuns: 150 },
    );
  });
});

describe('openTranscript', () => {
  const events: TranscriptEvent[] = [
    { type: 'warning', time: TIME, message: 'token=abcdefgh12345678 in a message' },
    output('Authorization: Bearer abcdefghijklmnop\nsecond line\n'),
    { type: 'confirmation', time: TIME, confirmed: true, how: '--yes' },
  ];

  it('text: appends each event as formatTextEvent gives it, redacted, in a file only its owner can read', () => {
    const path = tempFile('run.log');
    const transcript = openTranscript(path, (text) => text.replace(/abcdefgh\w+/g, '[X]'));
    for (const event of events) transcript.record(event);
    transcript.close();
    const redacted = (e: TranscriptEvent) => formatTextEvent(JSON.parse(JSON.stringify(e).replace(/abcdefgh\w+/g, '[X]')));
    expect(readFileSync(path, 'utf8')).toBe(events.map(redacted).join(''));
    expect(readFileSync(path, 'utf8')).not.toContain('abcdefgh');
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it('.jsonl: one JSON document per line, and a second run appends', () => {
    const path = tempFile('run.jsonl');
    for (let run = 0; run < 2; run++) {
      const transcript = openTranscript(path);
      for (const event of events) transcript.record(event);
      transcript.close();
    }
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => JSON.parse(line))).toEqual([...events, ...events]);
  });
});
