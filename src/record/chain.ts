import { createHash } from 'node:crypto';

/**
 * The hash chain of a JSON Lines transcript. Every line is one JSON object that
 * carries `seq` (0 for the file's first line, then +1 per line, across every run
 * appended to the file) and `prev`: the sha256, in hex, of the previous line's
 * bytes (without its newline). The first line's `prev` is GENESIS, a fixed value
 * derived from the format's name, so a file cut at its start no longer verifies.
 *
 * A run ends with a `seal` line whose `digest` is the sha256 of every byte of the
 * file before it: `head -n -1 t.jsonl | sha256sum` gives the same value for a
 * one-run file. The digest is printed outside the file too (summary, JSON
 * document, job summary, annotation), so a rewritten file is caught by comparing.
 */
export const CHAIN_FORMAT = 'videokit-rollback transcript v1';

export const GENESIS = sha256Hex(CHAIN_FORMAT);

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** What the next line of a chain carries. */
export interface ChainLink {
  readonly seq: number;
  readonly prev: string;
}

export const FIRST_LINK: ChainLink = { seq: 0, prev: GENESIS };

/**
 * An event as one chained line (no newline), and the link the line after it takes.
 * `seq` and `prev` come first, so every line starts the same way and reads in order.
 */
export function chainLine(event: object, link: ChainLink): { readonly bytes: Buffer; readonly next: ChainLink } {
  const bytes = Buffer.from(JSON.stringify({ seq: link.seq, prev: link.prev, ...event }));
  return { bytes, next: { seq: link.seq + 1, prev: sha256Hex(bytes) } };
}

/**
 * The last event of a sealed run. It has no time and no field that is not checked
 * against the rest of the file, so that no byte of it can change unnoticed: it is
 * the one line no later line's `prev` covers.
 */
export interface SealEvent {
  readonly type: 'seal';
  readonly digest: string;
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;
