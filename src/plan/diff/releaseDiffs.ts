import { randomBytes } from 'node:crypto';
import type { ManifestReader } from '../manifests.js';
import type { RollbackPlan } from '../types.js';
import type { ResourceDiff } from './manifestDiff.js';

/** `--diff` for one release, as the text output and the JSON document's `diff` field show it. */
export interface ReleaseManifestDiff {
  readonly release: string;
  readonly from: number;
  readonly to: number;
  readonly resources: readonly ResourceDiff[];
  /** Why no diff is shown (e.g. a manifest that does not parse), else null. */
  readonly problem: string | null;
}

/** Reads both manifests of every release to roll back and diffs them. */
export async function releaseDiffs(plan: RollbackPlan, manifests: ManifestReader): Promise<ReleaseManifestDiff[]> {
  // yaml and diff are loaded only by `--diff`: every other run is spared their code (see README, Speed).
  const { diffManifests } = await import('./manifestDiff.js');
  const key = randomBytes(32);
  return Promise.all(
    plan.releases.flatMap((release) => {
      if (release.action !== 'rollback') return [];
      const from = release.current.revision;
      const to = release.target.revision;
      return [
        Promise.all([manifests.read(release.release, from), manifests.read(release.release, to)]).then(([current, target]) => {
          const diff = diffManifests(current, target, { from: `revision ${from}`, to: `revision ${to}` }, key);
          return { release: release.release, from, to, resources: diff.ok ? diff.resources : [], problem: diff.ok ? null : diff.problem };
        }),
      ];
    }),
  );
}
