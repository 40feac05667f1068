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

interface Keeper {
  add(text: string): void;
  kept(): { text: string; dropped: boolean };
}

/** The first `chars` characters, one string concatenated as pieces come (V8 joins without copying). */
function headKeeper(chars: number): Keeper {
  let head = '';
  let dropped = false;
  return {
    add(text) {
      dropped ||= text.length > chars - head.length;
      if (head.length < chars) head += text.slice(0, chars - head.length);
    },
    kept: () => ({ text: head, dropped }),
  };
}

/** The last `chars` characters in whole lines, held as the pieces that came, joined only at the end. */
function tailKeeper(chars: number): Keeper {
  const pieces: string[] = [];
  let length = 0;
  return {
    add(text) {
      pieces.push(text);
      length += text.length;
      // One character more than the limit: whether it is a newline says if the tail starts a line.
      while (pieces.length > 1 && length - (pieces[0]?.length ?? 0) > chars) length -= pieces.shift()?.length ?? 0;
    },
    kept() {
      const all = pieces.join('');
      if (all.length <= chars) return { text: all, dropped: false };
      // A tail starts at a whole line, unless one line is longer than the limit.
      const window = all.slice(-(chars + 1));
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
  const kept = keep.from === 'head' ? headKeeper(keep.chars) : tailKeeper(keep.chars);
  let totalBytes = 0;
  /** The unfinished line so far: bytes after the last newline. */
  let pending: Buffer[] = [];
  // Counted as parts come, not summed per push: a long line can arrive in many small reads.
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
