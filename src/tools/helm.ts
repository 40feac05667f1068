import type { ClusterTarget, CommandSpec } from '../commands/spec.js';
import { formatDuration } from '../domain/duration.js';

/**
 * One builder per helm command. helm spells the context flag `--kube-context`
 * (kubectl's `--context` is an unknown flag to helm).
 */
function scope(target: ClusterTarget): string[] {
  return ['--namespace', target.namespace, '--kube-context', target.context];
}

/** helm keeps at most 256 revisions in `history` output by default; ask for that explicitly. */
export const HISTORY_MAX = 256;

export function helmHistory(file: string, target: ClusterTarget, release: string): CommandSpec {
  return {
    tool: 'helm',
    effect: 'read',
    file,
    args: ['history', release, ...scope(target), '--output', 'json', '--max', String(HISTORY_MAX)],
    purpose: `read the revision history of ${release}`,
  };
}

/**
 * `helm rollback` with an explicit revision: without one helm takes current − 1
 * whatever its status (helm#1796). Bare `--wait` is the one spelling right for
 * helm 3 (boolean) and helm 4 (`--wait[=watcher]`; without it helm 4 does not wait).
 * Never `--atomic`: helm rollback has no such flag in helm 3 or 4.
 */
export function helmRollback(
  file: string,
  target: ClusterTarget,
  release: string,
  revision: number,
  timeoutMs: number,
): CommandSpec {
  return {
    tool: 'helm',
    effect: 'write',
    file,
    args: [
      'rollback',
      release,
      String(revision),
      ...scope(target),
      '--wait',
      '--timeout',
      formatDuration(timeoutMs),
    ],
    purpose: `roll ${release} back to revision ${revision}`,
    timeoutMs,
  };
}

/**
 * Release names for shell completion. `--deployed --failed --pending` are the releases
 * one might roll back, and the same filter on both majors: helm 3 lists only deployed and
 * failed by default, helm 4 every status, and helm 4 has no `--all`.
 */
export function helmListReleaseNames(file: string, target: ClusterTarget, timeoutMs: number): CommandSpec {
  return {
    tool: 'helm',
    effect: 'read',
    file,
    args: ['list', '--short', '--deployed', '--failed', '--pending', ...scope(target), '--max', String(HISTORY_MAX)],
    purpose: 'list release names for shell completion',
    timeoutMs,
  };
}
