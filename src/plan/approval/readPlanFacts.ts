import { createHash } from 'node:crypto';
import { RollbackFailure } from '../../domain/errors.js';
import type { ManifestReader } from '../manifests.js';
import { parseClusterServer, parseKubectlVersion } from '../parseToolOutput.js';
import { describeFailure, type Binaries } from '../readCluster.js';
import type { RollbackPlan } from '../types.js';
import type { CommandGate } from '../../process/gate.js';
import type { CommandSpec } from '../../domain/commandSpec.js';
import { kubectlConfigView, kubectlVersionClient } from '../../tools/kubectl.js';

export interface ReadFacts {
  readonly kubectlVersion: string;
  readonly clusterServer: string;
  readonly targetManifestSha256: Record<string, string>;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

async function readParsed<T>(gate: CommandGate, spec: CommandSpec, parse: (stdout: string) => { ok: true; value: T } | { ok: false; problem: string }): Promise<T> {
  const result = await gate.run(spec, { phase: 'plan', release: null });
  const label = `${spec.tool} ${spec.args.slice(0, 2).join(' ')}`;
  if (result.exitCode !== 0 || result.timedOut) throw new RollbackFailure('plan', describeFailure(label, result));
  const parsed = parse(result.stdout);
  if (!parsed.ok) throw new RollbackFailure('plan', parsed.problem);
  return parsed.value;
}

/** The reads an approved plan records besides the plan: kubectl version, the cluster server, manifest hashes. */
export async function readPlanFacts(gate: CommandGate, bins: Binaries, plan: RollbackPlan, manifests: ManifestReader): Promise<ReadFacts> {
  const [kubectlVersion, clusterServer, hashes] = await Promise.all([
    readParsed(gate, kubectlVersionClient(bins.kubectl), parseKubectlVersion),
    readParsed(gate, kubectlConfigView(bins.kubectl, plan.context), parseClusterServer),
    Promise.all(
      plan.releases.flatMap((release) =>
        release.action === 'rollback'
          ? [manifests.read(release.release, release.target.revision).then((manifest) => [release.release, sha256(manifest)] as const)]
          : [],
      ),
    ),
  ]);
  return { kubectlVersion, clusterServer, targetManifestSha256: Object.fromEntries(hashes) };
}
