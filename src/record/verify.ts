import { createHash, type Hash } from 'node:crypto';
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

function splitLines(bytes: Buffer): { lines: Buffer[]; fragment: Buffer | null } {
  const lines: Buffer[] = [];
  let start = 0;
  for (let at = bytes.indexOf(NEWLINE); at !== -1; at = bytes.indexOf(NEWLINE, start)) {
    lines.push(bytes.subarray(start, at));
    start = at + 1;
  }
  return { lines, fragment: start < bytes.length ? bytes.subarray(start) : null };
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
function brokenLink(lines: readonly Buffer[], index: number): Tampered {
  const next = lines[index + 1];
  const here = index + 1;
  if (next !== undefined) {
    const nextPrev = parseLine(next);
    const intact = nextPrev.ok && nextPrev.event.prev === sha256Hex(lines[index] as Buffer);
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

function checkLine(lines: readonly Buffer[], index: number, walk: Walk, check: EventCheck): void {
  const number = index + 1;
  const line = lines[index] as Buffer;
  const parsed = parseLine(line);
  if (!parsed.ok) throw new Tampered(number, `line ${number} is ${parsed.reason}`);
  const { seq, prev, ...event } = parsed.event;
  if (seq !== index) {
    throw new Tampered(number, `line ${number} has seq ${JSON.stringify(seq)} where ${index} belongs: a line before it was deleted or inserted, or lines were moved`);
  }
  if (typeof prev !== 'string' || !SHA256_HEX.test(prev)) throw new Tampered(number, `line ${number} has no valid prev`);
  if (prev !== walk.prev) throw brokenLink(lines, index);
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
  const { lines, fragment } = splitLines(bytes);
  const walk: Walk = { prev: GENESIS, runs: 0, sealed: false, seals: [], notes: [], hash: createHash('sha256') };
  try {
    if (lines.length === 0 && fragment === null) throw new Tampered(1, 'the file is empty');
    for (let index = 0; index < lines.length; index++) checkLine(lines, index, walk, check);
    if (fragment !== null) {
      checkFragment(fragment, lines.length + 1);
      if (lines.length === 0) throw new Tampered(1, 'the file holds no complete line');
      walk.notes.push(`the last line (line ${lines.length + 1}, ${fragment.length} bytes) is incomplete: the writer was cut off in the middle of it`);
    }
    const last = walk.seals.at(-1);
    if (expectedDigest !== undefined && !walk.seals.some((s) => s.digest === expectedDigest.toLowerCase())) {
      const where = last === undefined ? 'the file holds no seal' : `the last seal, line ${last.line}, carries ${last.digest}`;
      throw new Tampered(last?.line ?? lines.length, `no seal carries the digest ${expectedDigest}: ${where}`);
    }
    const counted: Counted = { lines: lines.length, runs: walk.runs, seals: walk.seals, notes: walk.notes };
    if (walk.sealed && fragment === null && last !== undefined) return { status: 'sealed', digest: last.digest, ...counted };
    return { status: 'unsealed', ...counted };
  } catch (error) {
    if (error instanceof Tampered) return { status: 'tampered', line: error.line, reason: error.reason };
    throw error;
  }
}
