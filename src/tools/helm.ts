import type { ClusterTarget, CommandSpec } from '../domain/commandSpec.js';
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
 * The newest revision only (`--max` keeps the newest N): the read just before each
 * `helm rollback`, to check nothing changed the release since planning.
 */
export function helmNewestRevision(file: string, target: ClusterTarget, release: string): CommandSpec {
  return {
    tool: 'helm',
    effect: 'read',
    file,
    args: ['history', release, ...scope(target), '--output', 'json', '--max', '1'],
    purpose: `re-read the newest revision of ${release} just before writing`,
  };
}

/**
 * helm 4's wait strategies (`--wait[=watcher|hookOnly|legacy]`). helm 3's `--wait` is a
 * boolean and rejects `--wait=legacy` (strconv.ParseBool), so a strategy is only ever
 * passed once helm's major version is known to be 4 (see plan/helmVersion.ts).
 */
export type WaitStrategy = 'watcher' | 'legacy';

/**
 * `helm rollback` with an explicit revision: without one helm takes current − 1
 * whatever its status (helm#1796). Bare `--wait` is the one spelling right for
 * helm 3 (boolean) and helm 4 (`--wait[=watcher]`; without it helm 4 does not wait);
 * with helm 4 `--wait-strategy` asks for `--wait=watcher` or `--wait=legacy`
 * (legacy avoids the watcher hanging on custom resources, helm#32615).
 * Never `--atomic`: helm rollback has no such flag in helm 3 or 4.
 */
export function helmRollback(
  file: string,
  target: ClusterTarget,
  release: string,
  revision: number,
  timeoutMs: number,
  wait?: WaitStrategy,
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
      wait === undefined ? '--wait' : `--wait=${wait}`,
      '--timeout',
      formatDuration(timeoutMs),
    ],
    purpose: `roll ${release} back to revision ${revision}`,
    keepOutput: 'head',
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

/**
 * `helm version --short` (`v3.17.3+ge4da497`): local, talks to no cluster, so it
 * names no context or namespace (like `kubectl config current-context`).
 */
export function helmVersion(file: string): CommandSpec {
  return { tool: 'helm', effect: 'read', file, args: ['version', '--short'], purpose: 'read the helm version' };
}

/**
 * `helm version --template '{{.Version}}'` (`v3.17.3`), for the record: the version alone,
 * without the git commit `--short` appends. Local, like `helmVersion`.
 */
export function helmVersionTemplate(file: string): CommandSpec {
  return { tool: 'helm', effect: 'read', file, args: ['version', '--template', '{{.Version}}'], purpose: 'read the helm version for the record' };
}

/**
 * The rendered manifest of one stored revision. It holds Secret data in clear, so its
 * output is withheld from the transcript and the JSON document (`sensitiveOutput`).
 */
export function helmGetManifest(file: string, target: ClusterTarget, release: string, revision: number): CommandSpec {
  return {
    tool: 'helm',
    effect: 'read',
    file,
    args: ['get', 'manifest', release, '--revision', String(revision), ...scope(target)],
    purpose: `read the manifest of ${release} revision ${revision}`,
    sensitiveOutput: true,
  };
}
