import type { RestoreResult } from './vocabulary.js';

/** What parts of a run produce for the outputs to show: --diff and --atomic's restore. */

/** One resource's change between two stored revisions. */
export interface ResourceDiff {
  /** `Kind/name`, or `Kind/namespace/name` when the manifest names a namespace. */
  readonly resource: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** Unified diff (no colour), Secret values already replaced. */
  readonly patch: string;
}

/** `--diff` for one release, as the text output and the JSON document's `diff` field show it. */
export interface ReleaseManifestDiff {
  readonly release: string;
  readonly from: number;
  readonly to: number;
  readonly resources: readonly ResourceDiff[];
  /** Why no diff is shown (e.g. a manifest that does not parse), else null. */
  readonly problem: string | null;
}

export interface RestoreReport {
  /** In the order the restore ran: the last release changed first. */
  readonly releases: readonly RestoreResult[];
  readonly ok: boolean;
  /** For each release not restored: the exact commands a human must run, in order. */
  readonly manualCommands: readonly string[];
}
