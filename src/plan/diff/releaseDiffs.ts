import { randomBytes } from 'node:crypto';
import type { ManifestReader } from '../manifests.js';
import type { RollbackPlan } from '../types.js';
import type { ReleaseManifestDiff } from '../../domain/records.js';

export type { ReleaseManifestDiff };

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
