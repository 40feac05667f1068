import { existsSync, readFileSync } from 'node:fs';
import { chainLine, FIRST_LINK, sha256Hex } from '../../src/record/chain.js';

/**
 * The events of a JSON Lines record, as the run recorded them: the chain's seals left
 * out (each run ends with one; tests look at the run's own last event, its outcome).
 * Each event keeps its `seq` and `prev`. A missing file reads as no events.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readRecord(path: string): any[] {
  return existsSync(path) ? eventsOf(readFileSync(path, 'utf8')) : [];
}

/** A chained record of these events (src/record/chain.ts), with its seal unless `sealed` is false. */
export function chainedRecord(events: readonly object[], sealed = true): Buffer {
  let link = FIRST_LINK;
  const lines: string[] = [];
  for (const event of events) {
    const { bytes, next } = chainLine(event, link);
    lines.push(`${bytes.toString('utf8')}\n`);
    link = next;
  }
  if (sealed) lines.push(`${chainLine({ type: 'seal', digest: sha256Hex(lines.join('')) }, link).bytes.toString('utf8')}\n`);
  return Buffer.from(lines.join(''));
}

/**
 * The events of a record a run is still writing: its whole lines only. A line is complete
 * once its newline is written; what follows the last newline may be half an event.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readRecordSoFar(path: string): any[] {
  if (!existsSync(path)) return [];
  const text = readFileSync(path, 'utf8');
  return eventsOf(text.slice(0, text.lastIndexOf('\n') + 1));
}

/** The events of whole JSON Lines, seals left out. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function eventsOf(text: string): any[] {
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((event) => event.type !== 'seal');
}
