import { it } from 'vitest';
import { MATRIX, type ToolPair } from './binaries.js';

/**
 * `it` on the newest pair here, and nothing on the others: for an end-to-end check of the
 * tool's own behaviour (a refusal, an output, a record, a signal) that helm 3 and helm 4
 * cannot change. What helm or kubectl themselves do (waiting, statuses, revision
 * descriptions, their errors) is checked with `it` on every pair. Each real-binary run costs
 * seconds on a small machine; running such a check twice proves nothing more.
 */
export function itOnNewest(pair: ToolPair): typeof it {
  // Registers nothing, as `it(...)` and `it.each(...)(...)` alike.
  const skip = Object.assign((): void => undefined, { each: () => (): void => undefined }) as unknown as typeof it;
  return pair.name === MATRIX.at(-1)?.name ? it : skip;
}

/** The newest pair alone, for a file whose every check is of the tool's own behaviour (see itOnNewest). */
export const NEWEST: readonly ToolPair[] = MATRIX.slice(-1);
