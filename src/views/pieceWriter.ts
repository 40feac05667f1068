import { writeSync } from 'node:fs';
import type { TextPiece } from './transcriptText.js';

/** Room for one event of streamed output (a 64 KiB pipe read, indented) without allocating. */
const SCRATCH_BYTES = 256 * 1024;
const NEWLINE = 0x0a;

function countLines(text: string): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) lines++;
  return text.endsWith('\n') ? lines : lines + 1;
}

/**
 * Writes an event's pieces with one write(2), through one buffer allocated once (and
 * grown, then kept, only for an event larger than any before). Streamed output is
 * encoded straight into it and its lines are moved into place after their prefix,
 * within the buffer: no copy of the output is made on the JavaScript heap, nor any
 * object per line. Joining the pieces as strings and a Buffer.from() per event made
 * several copies of every chunk of output for the garbage collector (README, Speed).
 *
 * One write per event: a killed run leaves whole events. writeSync may write less
 * than asked (a full disk, a signal): it loops until all is out.
 */
export function createPieceWriter(fd: number): (pieces: readonly TextPiece[]) => void {
  let bytes = Buffer.allocUnsafe(SCRATCH_BYTES);
  let length = 0;
  const ensure = (needed: number) => {
    if (needed <= bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * bytes.length, needed));
    bytes.copy(grown, 0, 0, length);
    bytes = grown;
  };
  const prefixes = new Map<string, Buffer>();
  const prefixBytes = (prefix: string) => {
    let found = prefixes.get(prefix);
    if (found === undefined) prefixes.set(prefix, (found = Buffer.from(prefix)));
    return found;
  };

  return (pieces) => {
    length = 0;
    for (const piece of pieces) {
      if (typeof piece === 'string') {
        ensure(length + Buffer.byteLength(piece));
        length += bytes.write(piece, length);
        continue;
      }
      if (piece.text === '') continue;
      const prefix = prefixBytes(piece.linePrefix);
      const rawLength = Buffer.byteLength(piece.text);
      // The raw text goes far enough ahead that each line, moved back behind its
      // prefix, never overwrites a line not yet moved.
      let raw = length + countLines(piece.text) * prefix.length;
      const rawEnd = raw + rawLength;
      ensure(rawEnd + 1);
      bytes.write(piece.text, raw);
      while (raw < rawEnd) {
        const newline = bytes.indexOf(NEWLINE, raw);
        const end = newline === -1 || newline >= rawEnd ? rawEnd : newline + 1;
        bytes.set(prefix, length);
        length += prefix.length;
        bytes.copyWithin(length, raw, end);
        length += end - raw;
        raw = end;
      }
      if (bytes[length - 1] !== NEWLINE) bytes[length++] = NEWLINE;
    }
    let written = 0;
    while (written < length) written += writeSync(fd, bytes, written, length - written);
  };
}
