import { mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { durableFd } from './durableFd.js';
import { createHash } from 'node:crypto';
import { dirname } from 'node:path';
import { chainLine, FIRST_LINK, sha256Hex, type ChainLink } from './chain.js';
import { verifyTranscript, type EventCheck, type Seal, type Verdict } from './verify.js';

export interface ChainWriter {
  readonly path: string;
  /** Appends one event as a chained line; `durable`: on disk (fsync) before this returns. */
  append(event: object, durable: boolean): void;
  /** Writes the seal (the digest of every byte before it), syncs and closes; returns the digest. */
  seal(): string;
  /** Closes without a seal: the chain stays valid, and verification calls it cut short. */
  close(): void;
  /**
   * What `verify` says of the file as written so far, known without reading it again:
   * the earlier runs were verified when the file was opened, and the writer wrote the rest.
   */
  verdict(): Verdict;
}

export class AppendRefused extends Error {}

/** The verdict on a file that verifies. */
type Intact = Exclude<Verdict, { status: 'tampered' }>;

const NEWLINE = Buffer.from('\n');

/**
 * Where an existing file's chain goes on: appending keeps earlier runs, so the new
 * run's first line links to the file's last. A file that does not verify (another
 * format, an edit, a torn last line) is refused rather than extended: a valid chain
 * on top of a broken one would hide the break.
 */
function resume(path: string, check: EventCheck): { link: ChainLink; digestSoFar: ReturnType<typeof createHash>; before: Intact | null } {
  const hash = createHash('sha256');
  let existing: Buffer;
  try {
    existing = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { link: FIRST_LINK, digestSoFar: hash, before: null };
    throw error;
  }
  if (existing.length === 0) return { link: FIRST_LINK, digestSoFar: hash, before: null };
  const verdict = verifyTranscript(existing, check);
  if (verdict.status === 'tampered') throw new AppendRefused(`it does not verify (${verdict.reason})`);
  if (existing[existing.length - 1] !== NEWLINE[0]) throw new AppendRefused('its last line is incomplete (a run was killed while writing it)');
  const lastStart = existing.lastIndexOf(NEWLINE[0] as number, existing.length - 2) + 1;
  hash.update(existing);
  return { link: { seq: verdict.lines, prev: sha256Hex(existing.subarray(lastStart, existing.length - 1)) }, digestSoFar: hash, before: verdict };
}

function writeAll(fd: number, bytes: Buffer): void {
  // writeSync may write less than asked (a full disk, a signal): loop until all is out.
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}

/**
 * Appends chained events to `path` as they happen, one write per line, so a killed
 * run leaves every line it finished. fsync (safety against the machine itself
 * crashing; it costs milliseconds) runs in the background, coalesced, except where
 * the caller asks for it (before each command starts, at the outcome, at the seal).
 * Created with mode 0600: a transcript holds command output an outsider has no
 * business reading.
 */
export function openChainWriter(path: string, check: EventCheck): ChainWriter {
  mkdirSync(dirname(path), { recursive: true });
  const resumed = resume(path, check);
  const digestSoFar = resumed.digestSoFar;
  let link = resumed.link;
  const tally = createTally(resumed.before);
  const fd = openSync(path, 'a', 0o600);
  const file = durableFd(fd);
  const write = (event: object) => {
    const { bytes, next } = chainLine(event, link);
    const line = Buffer.concat([bytes, NEWLINE]);
    writeAll(fd, line);
    digestSoFar.update(line);
    link = next;
    tally.wrote((event as { type?: unknown }).type);
  };

  return {
    path,
    append(event, durable) {
      if (!file.open) return;
      write(event);
      file.written(durable);
    },
    seal() {
      const digest = digestSoFar.copy().digest('hex');
      if (file.open) {
        write({ type: 'seal', digest });
        tally.sealed(digest);
      }
      file.close();
      return digest;
    },
    close: () => file.close(),
    verdict: () => tally.verdict(),
  };
}

/** The verdict of the file as it grows, counted as verify counts (src/record/verify.ts). */
function createTally(before: Intact | null) {
  let lines = before?.lines ?? 0;
  let runs = before?.runs ?? 0;
  let endsSealed = before?.status === 'sealed';
  const seals: Seal[] = [...(before?.seals ?? [])];
  const notes: string[] = [...(before?.notes ?? [])];
  return {
    wrote(type: unknown) {
      lines++;
      if (type === 'run-start') {
        runs++;
        if (lines > 1 && !endsSealed) notes.push(`run ${runs - 1} was not sealed: it was cut short before line ${lines}`);
      }
      endsSealed = false;
    },
    sealed(digest: string) {
      seals.push({ line: lines, digest });
      endsSealed = true;
    },
    verdict(): Verdict {
      const counted = { lines, runs, seals: [...seals], notes: [...notes] };
      const last = seals.at(-1);
      return endsSealed && last !== undefined ? { status: 'sealed', digest: last.digest, ...counted } : { status: 'unsealed', ...counted };
    },
  };
}
