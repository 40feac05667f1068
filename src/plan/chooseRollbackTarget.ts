import { describeContent, lineageOf, rolledBackTo, type Lineage } from '../domain/lineage.js';
import { ELIGIBLE_TARGET_STATUSES, whyIneligible } from './statuses.js';
import type { HistoryEntry, PassedOverRevision } from './types.js';

export type TargetChoice =
  | { readonly ok: true; readonly target: HistoryEntry; readonly passedOver: readonly PassedOverRevision[] }
  | { readonly ok: false; readonly problem: string };

/**
 * The revision to return to. `history` must be sorted ascending.
 *
 * - Pinned: it must exist, be below the current, have run fine, and (when the current
 *   revision is deployed) carry other content than the current one.
 * - The newest revision is an interrupted rollback (`pending-rollback`, `Rollback to N`):
 *   N, finishing what was started (the caller has checked `--allow-pending`).
 * - Otherwise the newest revision below the current that is `superseded` or `deployed`
 *   and does not carry the current revision's content: helm writes a rollback as a new
 *   revision with the target's content, so after 41, 42, 43 `Rollback to 41` the
 *   revision below 43 (42) is the release that was rolled back from, not a way back.
 */
export function chooseRollbackTarget(history: readonly HistoryEntry[], pinned: number | undefined): TargetChoice {
  const current = history[history.length - 1];
  if (current === undefined) return { ok: false, problem: 'no revisions' };
  const older = history.filter((entry) => entry.revision < current.revision).reverse();
  const lineage = lineageOf(history);
  const sameContent = (entry: HistoryEntry) => lineage.contentOf(entry.revision) === lineage.contentOf(current.revision);

  if (pinned !== undefined) return choosePinned(current, older, lineage, pinned);

  const interruptedTo = current.status === 'pending-rollback' ? rolledBackTo(current) : undefined;
  if (interruptedTo !== undefined) {
    const target = older.find((entry) => entry.revision === interruptedTo);
    if (target === undefined || !ELIGIBLE_TARGET_STATUSES.has(target.status)) {
      return {
        ok: false,
        problem:
          `revision ${current.revision} is an interrupted rollback to ${interruptedTo}, and ${interruptedTo} ` +
          `${target === undefined ? 'is no longer in the history (pruned by --history-max?)' : `is ${target.status}: ${whyIneligible(target.status)}`}; ` +
          'choose a target with --to-revision',
      };
    }
    return { ok: true, target, passedOver: passedOverAbove(current, older, lineage, interruptedTo, `finishing the interrupted rollback to ${interruptedTo}`) };
  }

  const target = older.find((entry) => ELIGIBLE_TARGET_STATUSES.has(entry.status) && !sameContent(entry));
  if (target === undefined) {
    const oldest = history[0]?.revision;
    return {
      ok: false,
      problem:
        `no superseded or deployed revision below ${current.revision} with other content than the current one ` +
        `(history holds ${history.length} revisions from ${oldest}); older revisions may have been pruned by --history-max`,
    };
  }
  return { ok: true, target, passedOver: passedOverAbove(current, older, lineage, target.revision) };
}

function choosePinned(current: HistoryEntry, olderNewestFirst: readonly HistoryEntry[], lineage: Lineage, pinned: number): TargetChoice {
  if (pinned >= current.revision) {
    return { ok: false, problem: `--to-revision ${pinned} is not below the current revision ${current.revision}` };
  }
  const target = olderNewestFirst.find((entry) => entry.revision === pinned);
  if (target === undefined) {
    return { ok: false, problem: `--to-revision ${pinned} is not in the release history (pruned by --history-max?)` };
  }
  if (!ELIGIBLE_TARGET_STATUSES.has(target.status)) {
    return {
      ok: false,
      problem: `--to-revision ${pinned} has status "${target.status}": ${whyIneligible(target.status)}; only superseded or deployed revisions are safe targets`,
    };
  }
  // Re-applying the content of a current revision that did not finish (pending, failed) is a retry;
  // re-applying that of a deployed one changes nothing but adds a revision.
  if (current.status === 'deployed' && lineage.contentOf(target.revision) === lineage.contentOf(current.revision)) {
    return {
      ok: false,
      problem: `--to-revision ${pinned} carries the same content as the current revision ${current.revision} (${contentLabel(current, lineage)}): rolling back to it would change nothing`,
    };
  }
  return { ok: true, target, passedOver: passedOverAbove(current, olderNewestFirst, lineage, pinned, 'pinned with --to-revision') };
}

function contentLabel(entry: HistoryEntry, lineage: Lineage): string {
  return describeContent(entry, lineage) ?? `revision ${entry.revision}'s own`;
}

/** Revisions between the target and the current, newest first, with the reason each was not chosen. */
function passedOverAbove(
  current: HistoryEntry,
  olderNewestFirst: readonly HistoryEntry[],
  lineage: Lineage,
  targetRevision: number,
  eligibleReason?: string,
): PassedOverRevision[] {
  const currentContent = lineage.contentOf(current.revision);
  return olderNewestFirst
    .filter((entry) => entry.revision > targetRevision)
    .map((entry) => {
      let reason: string;
      if (!ELIGIBLE_TARGET_STATUSES.has(entry.status)) reason = whyIneligible(entry.status);
      else if (eligibleReason !== undefined) reason = eligibleReason;
      else if (lineage.contentOf(entry.revision) === currentContent) {
        reason = `same content as current: ${describeContent(entry, lineage) ?? `the current revision ${current.revision} is a rollback to it`}`;
      } else reason = 'newer eligible revision';
      return { revision: entry.revision, status: entry.status, reason };
    });
}

/**
 * For a release already rolled back (the newest revision is a completed `Rollback to N`):
 * the revision an operator would pin to go further back, i.e. the newest safe revision
 * older than everything in the current revision's rollback chain, with other content.
 */
export function furtherBackTarget(history: readonly HistoryEntry[]): HistoryEntry | undefined {
  const current = history[history.length - 1];
  if (current === undefined) return undefined;
  const lineage = lineageOf(history);
  const below = Math.min(...lineage.chain(current.revision));
  const content = lineage.contentOf(current.revision);
  return [...history]
    .reverse()
    .find((entry) => entry.revision < below && ELIGIBLE_TARGET_STATUSES.has(entry.status) && lineage.contentOf(entry.revision) !== content);
}
