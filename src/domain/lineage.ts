import type { HistoryEntry } from './plan.js';

/**
 * helm records every rollback as a new revision whose description is exactly
 * `Rollback to <N>` and whose chart, values and manifest are N's (helm 3.17 and 4.1;
 * neither prints a `rollback_revision` field). That description is the only lineage
 * helm keeps.
 */
const ROLLBACK_DESCRIPTION = /^Rollback to ([1-9]\d*)$/;

/**
 * helm 3 and 4 rewrite a rollback whose wait failed as `failed` with the description
 * `Rollback "<release>" failed: <reason>`: the revision it rolled back to is lost.
 */
const FAILED_ROLLBACK_DESCRIPTION = /^Rollback ".*" failed/s;

/** The revision a `Rollback to N` revision rolled back to, or undefined for any other revision. */
export function rolledBackTo(entry: HistoryEntry): number | undefined {
  const match = ROLLBACK_DESCRIPTION.exec(entry.description);
  if (match === null) return undefined;
  const revision = Number(match[1]);
  // A rollback always writes current + 1: a source at or above itself is not helm's.
  return revision < entry.revision ? revision : undefined;
}

export function isFailedRollback(entry: HistoryEntry): boolean {
  return entry.status === 'failed' && FAILED_ROLLBACK_DESCRIPTION.test(entry.description);
}

/**
 * Which revision's content each revision carries: its own, or for `Rollback to N`
 * N's content, transitively (a rollback to a rollback). A source pruned from the
 * history (`--history-max`) stands for its own content: pruning drops the oldest
 * revisions, so nothing left in the history can be older than it.
 */
export interface Lineage {
  /** The revision whose content `revision` carries (itself unless it is a rollback). */
  contentOf(revision: number): number;
  /** The revisions from `revision` down its rollback chain to the content it carries. */
  chain(revision: number): readonly number[];
}

export function lineageOf(history: readonly HistoryEntry[]): Lineage {
  const byRevision = new Map(history.map((entry) => [entry.revision, entry]));
  const chain = (revision: number): number[] => {
    const seen: number[] = [revision];
    let source = byRevision.get(revision);
    while (source !== undefined) {
      const next = rolledBackTo(source);
      // rolledBackTo only points downwards, so the walk ends.
      if (next === undefined) break;
      seen.push(next);
      source = byRevision.get(next);
    }
    return seen;
  };
  return {
    contentOf: (revision) => chain(revision).at(-1) ?? revision,
    chain,
  };
}

/** How a revision's content is described next to it: "rollback to 41", or nothing for an ordinary one. */
export function describeContent(entry: HistoryEntry, lineage: Lineage): string | undefined {
  const source = rolledBackTo(entry);
  if (source === undefined) return undefined;
  const content = lineage.contentOf(entry.revision);
  return content === source ? `rollback to ${source}` : `rollback to ${source}, which carries ${content}`;
}
