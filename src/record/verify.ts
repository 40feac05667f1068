import { createHash, type Hash } from 'node:crypto';
import { closeSync, openSync, readSync } from 'node:fs';
import { GENESIS, SHA256_HEX, sha256Hex } from './chain.js';

/** Checks one event (without `seq` and `prev`) against the event schema; a problem, or undefined. */
export type EventCheck = (event: Record<string, unknown>) => string | undefined;

export interface Seal {
  /** 1-based line number of the seal. */
  readonly line: number;
  readonly digest: string;
}

interface Counted {
  /** Complete lines checked. */
  readonly lines: number;
  /** Runs in the file (run-start events). */
  readonly runs: number;
  readonly seals: readonly Seal[];
  /** What an auditor should know that does not make the file tampered (earlier runs cut short). */
  readonly notes: readonly string[];
}

export type Verdict =
  | ({ readonly status: 'sealed'; readonly digest: string } & Counted)
  | ({ readonly status: 'unsealed' } & Counted)
  | { readonly status: 'tampered'; readonly line: number; readonly reason: string };

const NEWLINE = 0x0a;

/**
 * Where the JSON value a line starts with ends: the index after its closing brace,
 * or -1 when the text ends first (a line torn by a killed writer is a prefix of one).
 */
function endOfValue(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if ((c === '}' || c === ']') && --depth === 0) return i + 1;
  }
  return -1;
}

/**
 * Where a record's lines come from: `visit` gets each complete line (without its newline)
 * in order, valid only during the call, and the source returns what follows the last newline (null when nothing
 * does). A file is read in chunks (recordFileLines), so a record of any size is checked
 * and rendered without being held whole.
 */
export type LineSource = (visit: (line: Buffer) => void) => Buffer | null;

/** The lines of a record held in memory. */
export function bufferLines(bytes: Buffer): LineSource {
  return (visit) => {
    let start = 0;
    for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, start)) {
      visit(bytes.subarray(start, at));
      start = at + 1;
    }
    return start < bytes.length ? bytes.subarray(start) : null;
  };
}

const CHUNK_BYTES = 256 * 1024;

/**
 * The lines of a record file, read a chunk at a time into one buffer that is reused
 * (a line handed to `visit` is only valid during the call); each pass reads the file again.
 */
export function recordFileLines(path: string, chunkBytes = CHUNK_BYTES): LineSource {
  return (visit) => {
    const fd = openSync(path, 'r');
    const chunk = Buffer.allocUnsafe(chunkBytes);
    try {
      let carry: Buffer | null = null;
      for (;;) {
        const read = readSync(fd, chunk, 0, chunkBytes, null);
        if (read === 0) return carry;
        const bytes: Buffer = carry === null ? chunk.subarray(0, read) : Buffer.concat([carry, chunk.subarray(0, read)]);
        const last = bytes.lastIndexOf(NEWLINE);
        if (last !== -1) bufferLines(bytes.subarray(0, last + 1))(visit);
        // What follows the last newline waits for the next read: copied, as the chunk is reused.
        carry = last + 1 < bytes.length ? Buffer.from(bytes.subarray(last + 1)) : null;
      }
    } finally {
      closeSync(fd);
    }
  };
}

type LineCheck = { ok: true; event: Record<string, unknown> } | { ok: false; reason: string };

function parseLine(line: Buffer): LineCheck {
  let value: unknown;
  try {
    value = JSON.parse(line.toString('utf8'));
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'not a JSON object' };
  // The writer writes JSON.stringify's own output: any other spelling of the same value
  // (spaces, escapes, bytes that are not UTF-8) was made by something else.
  if (!Buffer.from(JSON.stringify(value)).equals(line)) return { ok: false, reason: 'not written by the transcript writer (its bytes are not those of its JSON value)' };
  return { ok: true, event: value as Record<string, unknown> };
}

class Tampered extends Error {
  constructor(
    readonly line: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** Which line a broken link points at: the earlier line changed, or this line's own `prev`. */
function brokenLink(line: Buffer, next: Buffer | undefined, index: number): Tampered {
  const here = index + 1;
  if (next !== undefined) {
    const nextPrev = parseLine(next);
    const intact = nextPrev.ok && nextPrev.event.prev === sha256Hex(line);
    if (intact) return new Tampered(here - 1, `line ${here - 1} was altered: its sha256 is not the prev that line ${here} recorded`);
    return new Tampered(here, `line ${here} was altered: its prev is not the sha256 of line ${here - 1}`);
  }
  return new Tampered(here - 1, `line ${here - 1} or line ${here} was altered: line ${here}'s prev is not the sha256 of line ${here - 1}`);
}

interface Walk {
  prev: string;
  runs: number;
  sealed: boolean;
  seals: Seal[];
  notes: string[];
  readonly hash: Hash;
}

/** Checks line `index` (0-based); `next`, the line after it, tells which of two lines a broken link blames. */
function checkLine(line: Buffer, next: Buffer | undefined, index: number, walk: Walk, check: EventCheck): void {
  const number = index + 1;
  const parsed = parseLine(line);
  if (!parsed.ok) throw new Tampered(number, `line ${number} is ${parsed.reason}`);
  const { seq, prev, ...event } = parsed.event;
  if (seq !== index) {
    throw new Tampered(number, `line ${number} has seq ${JSON.stringify(seq)} where ${index} belongs: a line before it was deleted or inserted, or lines were moved`);
  }
  if (typeof prev !== 'string' || !SHA256_HEX.test(prev)) throw new Tampered(number, `line ${number} has no valid prev`);
  if (prev !== walk.prev) throw brokenLink(line, next, index);
  const problem = check(event);
  if (problem !== undefined) throw new Tampered(number, `line ${number} (${String(event.type)}) does not match the event schema: ${problem}`);
  if (index === 0 && event.type !== 'run-start') throw new Tampered(number, 'line 1 is not a run-start: the start of the file is missing');
  if (walk.sealed && event.type !== 'run-start') throw new Tampered(number, `line ${number} follows the seal on line ${number - 1}: nothing but a new run may follow a seal`);
  if (event.type === 'run-start') {
    walk.runs++;
    if (index > 0 && !walk.sealed) walk.notes.push(`run ${walk.runs - 1} was not sealed: it was cut short before line ${number}`);
  }
  if (event.type === 'seal') {
    const digest = walk.hash.copy().digest('hex');
    if (event.digest !== digest) throw new Tampered(number, `line ${number}: the seal's digest is not the sha256 of the ${index} lines before it`);
    walk.seals.push({ line: number, digest });
  }
  walk.sealed = event.type === 'seal';
  walk.prev = sha256Hex(line);
  walk.hash.update(line).update('\n');
}

/** What is after the last newline: bytes a killed writer left, or bytes someone changed. */
function checkFragment(fragment: Buffer, number: number): void {
  const text = fragment.toString('utf8');
  const end = endOfValue(text);
  if (end === text.length) throw new Tampered(number, `line ${number} does not end with a newline: a complete line was cut, or bytes removed`);
  if (end !== -1) throw new Tampered(number, `line ${number} has bytes after the end of its JSON`);
}

/**
 * Verifies a transcript's bytes: every line's JSON, seq, prev and event schema, the
 * order of runs and seals, each seal's digest, and (given) that a seal carries
 * `expectedDigest`. Pure: the caller reads the file. The first failure wins.
 */
export function verifyTranscript(bytes: Buffer, check: EventCheck, expectedDigest?: string): Verdict {
  return verifyLines(bufferLines(bytes), check, expectedDigest);
}

/** verifyTranscript over lines from a source: each line is checked once the line after it is known. */
export function verifyLines(source: LineSource, check: EventCheck, expectedDigest?: string): Verdict {
  const walk: Walk = { prev: GENESIS, runs: 0, sealed: false, seals: [], notes: [], hash: createHash('sha256') };
  let count = 0;
  let pending: Buffer | undefined;
  try {
    const fragment = source((line) => {
      if (pending !== undefined) checkLine(pending, line, count++, walk, check);
      // Held until the next line is known: a copy, as a source may reuse its buffer.
      pending = Buffer.from(line);
    });
    if (pending !== undefined) checkLine(pending, undefined, count++, walk, check);
    if (count === 0 && fragment === null) throw new Tampered(1, 'the file is empty');
    if (fragment !== null) {
      checkFragment(fragment, count + 1);
      if (count === 0) throw new Tampered(1, 'the file holds no complete line');
      walk.notes.push(`the last line (line ${count + 1}, ${fragment.length} bytes) is incomplete: the writer was cut off in the middle of it`);
    }
    const last = walk.seals.at(-1);
    if (expectedDigest !== undefined && !walk.seals.some((s) => s.digest === expectedDigest.toLowerCase())) {
      const where = last === undefined ? 'the file holds no seal' : `the last seal, line ${last.line}, carries ${last.digest}`;
      throw new Tampered(last?.line ?? count, `no seal carries the digest ${expectedDigest}: ${where}`);
    }
    const counted: Counted = { lines: count, runs: walk.runs, seals: walk.seals, notes: walk.notes };
    if (walk.sealed && fragment === null && last !== undefined) return { status: 'sealed', digest: last.digest, ...counted };
    return { status: 'unsealed', ...counted };
  } catch (error) {
    if (error instanceof Tampered) return { status: 'tampered', line: error.line, reason: error.reason };
    throw error;
  }
}
