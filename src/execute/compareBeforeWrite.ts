import { parseHelmHistory } from '../plan/parseToolOutput.js';
import { describeFailure } from '../plan/readCluster.js';
import { rolledBackTo } from '../domain/lineage.js';
import type { HistoryEntry, ReleaseRollback } from '../plan/types.js';
import { succeeded, type CommandResult } from '../process/runner.js';

/** Why a planned write must not run: the release moved since planning. `lostRace`: another run rolled it back. */
export interface WriteRefusal {
  readonly reason: string;
  readonly lostRace: boolean;
  /** The release's lock is held by another run: the reason is completed by reading it. */
  readonly held?: boolean;
}

const describe = (entry: Pick<HistoryEntry, 'revision' | 'status' | 'description'>) =>
  `${entry.revision} (${entry.status}${entry.description === '' ? '' : `, ${entry.description}`})`;

/**
 * The read just before `helm rollback`: the newest revision must still be the one the
 * plan started from. helm itself would roll back from whatever is newest now, so a
 * release changed by someone else since planning is refused, not rolled back again.
 */
export function judgeNewestRevision(plan: ReleaseRollback, result: CommandResult): WriteRefusal | undefined {
  const { release, current, target } = plan;
  if (!succeeded(result)) {
    return { reason: `could not re-read ${release} just before writing (${describeFailure('helm history', result)}); nothing was written to it`, lostRace: false };
  }
  const parsed = parseHelmHistory(result.stdout);
  if (!parsed.ok) return { reason: `could not re-read ${release} just before writing (${parsed.problem}); nothing was written to it`, lostRace: false };
  const newest = [...parsed.value].sort((a, b) => b.revision - a.revision)[0];
  if (newest === undefined) return { reason: `helm history of ${release} is empty just before writing; nothing was written to it`, lostRace: false };
  if (newest.revision === current.revision && newest.status === current.status) return undefined;
  if (newest.revision > current.revision && rolledBackTo(newest) === target.revision) {
    return { reason: lostRaceReason(release, `its newest revision is now ${describe(newest)}`), lostRace: true };
  }
  return {
    reason: `${release} changed since planning: its newest revision is now ${describe(newest)}, not ${describe(current)} as planned; nothing was written to it`,
    lostRace: false,
  };
}

/**
 * helm creates the new revision's Secret (`sh.helm.release.v1.<release>.v<N>`) before
 * changing anything else; two rollbacks from the same revision race to create the same
 * name and the loser fails with `Error: release: already exists` (helm 3 and 4), having
 * changed nothing.
 */
const ALREADY_EXISTS = /release: already exists/;

export function lostRaceInRollback(plan: ReleaseRollback, result: CommandResult): WriteRefusal | undefined {
  if (succeeded(result) || !ALREADY_EXISTS.test(result.stderr)) return undefined;
  return { reason: lostRaceReason(plan.release, `helm found revision ${plan.current.revision + 1} already written`), lostRace: true };
}

function lostRaceReason(release: string, evidence: string): string {
  return `another run rolled ${release} back (${evidence}); this run changed nothing`;
}
