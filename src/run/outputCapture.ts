export type OutputStreamName = 'stdout' | 'stderr';

/** A stream's text piece, passed on as it arrives in whole lines (the last piece may lack its newline). */
export type OutputListener = (stream: OutputStreamName, text: string) => void;

/**
 * What of a stream stays in memory once it has gone to the listener: its first
 * `chars` characters (`head`: output with a shape, read from the top), or its last
 * `chars`, cut to whole lines (`tail`: a progress stream, whose end says how it ended).
 */
export interface KeepOutput {
  readonly from: 'head' | 'tail';
  readonly chars: number;
}

/** Longest piece held back waiting for a newline before it is passed on anyway. */
const MAX_PENDING_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export interface StreamCapture {
  push(chunk: Buffer): void;
  /** Passes on what is left; returns what was kept and how many bytes were not. */
  end(): { kept: string; omittedBytes: number };
}

/**
 * Where `bytes` can be cut without splitting a UTF-8 character: its length, or the
 * start of an incomplete character at its end.
 */
export function utf8SafeEnd(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let i = end - 1; i >= 0 && i >= end - 4; i--) {
    const byte = bytes[i] ?? 0;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return i + length > end ? i : end;
  }
  return end;
}

/** Keeps what `keep` says of the pieces it is given, without copying them as they come. */
function keeper(keep: KeepOutput) {
  // head: one string, concatenated (V8 joins without copying) up to the limit.
  let head = '';
  // tail: the latest pieces, dropped from the front once the rest still fills the limit.
  const pieces: string[] = [];
  let piecesLength = 0;
  let dropped = false;
  return {
    add(text: string) {
      if (keep.from === 'head') {
        if (head.length >= keep.chars) dropped ||= text.length > 0;
        else {
          dropped ||= text.length > keep.chars - head.length;
          head += text.slice(0, keep.chars - head.length);
        }
        return;
      }
      pieces.push(text);
      piecesLength += text.length;
      // One character more than the limit: whether it is a newline says if the tail starts a line.
      while (pieces.length > 1 && piecesLength - (pieces[0]?.length ?? 0) > keep.chars) {
        piecesLength -= pieces.shift()?.length ?? 0;
        dropped = true;
      }
    },
    kept(): { text: string; dropped: boolean } {
      if (keep.from === 'head') return { text: head, dropped };
      const all = pieces.join('');
      if (all.length <= keep.chars) return { text: all, dropped };
      // A tail starts at a whole line, unless one line is longer than the limit.
      const window = all.slice(-(keep.chars + 1));
      const newline = window.indexOf('\n');
      return { text: newline === -1 ? window.slice(1) : window.slice(newline + 1), dropped: true };
    },
  };
}

/**
 * Captures one output stream of a command without holding all of it: every byte
 * goes to `listener` (the transcript) in whole lines as it arrives, while only
 * `keep.chars` characters stay in memory for the result. A rollout that prints
 * megabytes costs a bounded amount of memory.
 *
 * Lines are cut in bytes, before decoding: a newline byte never occurs inside a
 * UTF-8 character, and each piece then becomes a string exactly once. Megabytes of
 * rollout output otherwise turn into several copies per chunk, churn that shows up
 * directly in peak memory (README, Speed).
 */
export function captureStream(stream: OutputStreamName, keep: KeepOutput, listener: OutputListener | undefined): StreamCapture {
  const kept = keeper(keep);
  let totalBytes = 0;
  /** The unfinished line so far: bytes after the last newline. */
  let pending: Buffer[] = [];
  let pendingBytes = 0;

  const pass = (parts: Buffer[]) => {
    const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
    if (bytes === undefined || bytes.length === 0) return;
    const text = bytes.toString('utf8');
    kept.add(text);
    listener?.(stream, text);
  };

  return {
    push(chunk) {
      totalBytes += chunk.length;
      const newline = chunk.lastIndexOf(NEWLINE);
      if (newline !== -1) {
        pass([...pending, chunk.subarray(0, newline + 1)]);
        pending = newline + 1 < chunk.length ? [chunk.subarray(newline + 1)] : [];
        pendingBytes = chunk.length - newline - 1;
        return;
      }
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes > MAX_PENDING_BYTES) {
        // A line this long is passed on anyway, cut between characters.
        const all = Buffer.concat(pending);
        const cut = utf8SafeEnd(all);
        pass([all.subarray(0, cut)]);
        pending = cut < all.length ? [all.subarray(cut)] : [];
        pendingBytes = all.length - cut;
      }
    },
    end() {
      pass(pending);
      pending = [];
      const { text, dropped } = kept.kept();
      return { kept: text, omittedBytes: dropped ? totalBytes - Buffer.byteLength(text) : 0 };
    },
  };
}
