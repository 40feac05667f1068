import type { ReleaseAlreadyApplied, ReleaseAlreadyRolledBack } from './plan.js';

/** The one line every view shows for a release that needs no write, in the same words. */
export function alreadyLine(release: ReleaseAlreadyRolledBack | ReleaseAlreadyApplied): string {
  const { current } = release;
  if (release.action === 'already-applied') {
    return `already applied: revision ${current.revision} (${current.status}) is this plan's rollback from ${release.approvedFrom} to ${release.target}; nothing to do`;
  }
  const carries = release.carries === release.rolledBackTo ? '' : `, which carries ${release.carries}`;
  return `already rolled back: revision ${current.revision} (${current.status}) is a rollback to ${release.rolledBackTo}${carries}; nothing to do`;
}

/** How to go further back than an already rolled back release, or why one cannot. */
export function furtherBackLine(release: ReleaseAlreadyRolledBack): string {
  if (release.furtherBackCommand === null || release.furtherBack === null) {
    return 'no older superseded or deployed revision with other content is left to go further back to';
  }
  return `to go further back (to revision ${release.furtherBack.revision}): ${release.furtherBackCommand}`;
}

/** The target rule in one sentence, as --help, the README and the dry-run state it. */
export const TARGET_RULE =
  'target: the newest superseded or deployed revision below the current one that does not carry the current ' +
  'revision\'s content (a "Rollback to N" revision carries N\'s); a release whose newest revision is a completed ' +
  'rollback is already rolled back (no write; --to-revision goes further back); an interrupted rollback is ' +
  'finished with --allow-pending';

/** A release that needs no write, with the way further back when it is already rolled back. */
export function explainNoWrite(release: ReleaseAlreadyRolledBack | ReleaseAlreadyApplied): string {
  return release.action === 'already-rolled-back' ? `${alreadyLine(release)}; ${furtherBackLine(release)}` : alreadyLine(release);
}
