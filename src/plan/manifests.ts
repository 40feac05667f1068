import type { ClusterTarget } from '../domain/commandSpec.js';
import { RollbackFailure } from '../domain/errors.js';
import type { CommandGate } from '../process/gate.js';
import { helmGetManifest } from '../tools/helm.js';
import { describeFailure } from './readCluster.js';

/** Reads stored manifests (`helm get manifest --revision N`), each at most once per run. */
export interface ManifestReader {
  read(release: string, revision: number): Promise<string>;
}

export function createManifestReader(gate: CommandGate, helm: string, target: ClusterTarget): ManifestReader {
  const cache = new Map<string, Promise<string>>();
  return {
    read(release, revision) {
      const key = `${release}@${revision}`;
      let pending = cache.get(key);
      if (pending === undefined) {
        pending = gate.run(helmGetManifest(helm, target, release, revision), { phase: 'plan', release }).then((result) => {
          if (result.exitCode !== 0 || result.timedOut) {
            throw new RollbackFailure('plan', `${release}: ${describeFailure(`helm get manifest --revision ${revision}`, result)}`);
          }
          return result.stdout;
        });
        cache.set(key, pending);
      }
      return pending;
    },
  };
}
