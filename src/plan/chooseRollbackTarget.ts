import { ELIGIBLE_TARGET_STATUSES, whyIneligible } from './statuses.js';
import type { HistoryEntry, PassedOverRevision } from './types.js';

export type TargetChoice =
  | { readonly ok: true; readonly target: HistoryEntry; readonly passedOver: readonly PassedOverRevision[] }
  | { readonly ok: false; readonly problem: string };

/**
 * The revision to return to: the pinned one if given (it must exist, be below the
 * current and have run fine), else the newest revision below the current whose
 * status is `superseded` or `deployed`. `history` must be sorted ascending and
 * hold at least two revisions.
 */
export function chooseRollbackTarget(history: readonly HistoryEntry[], pinned: number | undefined): TargetChoice {
  const current = history[history.length - 1];
  if (current === undefined) return { ok: false, problem: 'no revisions' };
  const older = history.filter((entry) => entry.revision < current.revision).reverse();

  if (pinned !== undefined) {
    const target = older.find((entry) => entry.revision === pinned);
    if (pinned >= current.revision) {
      return { ok: false, problem: `--to-revision ${pinned} is not below the current revision ${current.revision}` };
    }
    if (target === undefined) {
      return { ok: false, problem: `--to-revision ${pinned} is not in the release history (pruned by --history-max?)` };
    }
    if (!ELIGIBLE_TARGET_STATUSES.has(target.status)) {
      return {
        ok: false,
        problem: `--to-revision ${pinned} has status "${target.status}": ${whyIneligible(target.status)}; only superseded or deployed revisions are safe targets`,
      };
    }
    return { ok: true, target, passedOver: passedOverAbove(older, pinned, 'pinned with --to-revision') };
  }

  const target = older.find((entry) => ELIGIBLE_TARGET_STATUSES.has(entry.status));
  if (target === undefined) {
    const oldest = history[0]?.revision;
    return {
      ok: false,
      problem:
        `no superseded or deployed revision below ${current.revision} (history holds ${history.length} revisions from ${oldest}); ` +
        'older revisions may have been pruned by --history-max',
    };
  }
  return { ok: true, target, passedOver: passedOverAbove(older, target.revision) };
}

/** Revisions between the target and the current, newest first, with the reason each was not chosen. */
function passedOverAbove(
  olderNewestFirst: readonly HistoryEntry[],
  targetRevision: number,
  eligibleReason?: string,
): PassedOverRevision[] {
  return olderNewestFirst
    .filter((entry) => entry.revision > targetRevision)
    .map((entry) => ({
      revision: entry.revision,
      status: entry.status,
      reason: ELIGIBLE_TARGET_STATUSES.has(entry.status)
        ? (eligibleReason ?? 'newer eligible revision')
        : whyIneligible(entry.status),
    }));
}
