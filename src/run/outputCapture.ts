import { StringDecoder } from 'node:string_decoder';

export type OutputStreamName = 'stdout' | 'stderr';

/** A stream's text piece, passed on as it arrives in whole lines (the last piece may lack its newline). */
export type OutputListener = (stream: OutputStreamName, text: string) => void;

/** Longest piece held back waiting for a newline before it is passed on anyway. */
const MAX_PENDING_CHARS = 64 * 1024;

export interface StreamCapture {
  push(chunk: Buffer): void;
  /** Passes on what is left; returns what was kept and how many bytes were not. */
  end(): { kept: string; omittedBytes: number };
}

/**
 * Captures one output stream of a command without holding all of it: every byte
 * goes to `listener` (the transcript) in whole lines as it arrives, while only the
 * first `keepChars` characters stay in memory for the result. A rollout that
 * prints megabytes costs a bounded amount of memory.
 */
export function captureStream(stream: OutputStreamName, keepChars: number, listener: OutputListener | undefined): StreamCapture {
  const decoder = new StringDecoder('utf8');
  let kept = '';
  let totalChars = 0;
  let totalBytes = 0;
  let pending = '';

  const take = (text: string, final: boolean) => {
    totalChars += text.length;
    if (kept.length < keepChars) kept += text.slice(0, keepChars - kept.length);
    if (listener === undefined) return;
    pending += text;
    let cut = pending.lastIndexOf('\n') + 1;
    if (final || (cut === 0 && pending.length > MAX_PENDING_CHARS)) cut = pending.length;
    if (cut > 0) {
      listener(stream, pending.slice(0, cut));
      pending = pending.slice(cut);
    }
  };

  return {
    push(chunk) {
      totalBytes += chunk.length;
      take(decoder.write(chunk), false);
    },
    end() {
      take(decoder.end(), true);
      return { kept, omittedBytes: totalChars > kept.length ? totalBytes - Buffer.byteLength(kept) : 0 };
    },
  };
}
