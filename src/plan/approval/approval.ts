import { RollbackFailure } from '../../domain/errors.js';
import type { ManifestReader } from '../manifests.js';
import type { HelmVersion } from '../parseToolOutput.js';
import type { Binaries } from '../readCluster.js';
import type { RollbackPlan } from '../types.js';
import type { CommandGate } from '../../process/gate.js';
import { buildPlanDocument } from './buildPlanDocument.js';
import { comparePlans } from './comparePlans.js';
import type { PlanDocument } from './planDocument.js';
import { readPlanFacts } from './readPlanFacts.js';

export interface DocumentContext {
  readonly gate: CommandGate;
  readonly bins: Binaries;
  readonly manifests: ManifestReader;
  readonly helm: HelmVersion;
  readonly tool: { readonly name: string; readonly version: string };
  readonly targetEnv: string | undefined;
  readonly user: string;
  readonly host: string;
  readonly now: Date;
  readonly allowPending: boolean;
}

/** Reads what a plan document records (versions, cluster server, manifest hashes) and builds it. */
export async function documentPlan(plan: RollbackPlan, context: DocumentContext): Promise<PlanDocument> {
  const facts = await readPlanFacts(context.gate, context.bins, plan, context.manifests);
  return buildPlanDocument(plan, {
    tool: context.tool,
    helmVersion: context.helm.version,
    kubectlVersion: facts.kubectlVersion,
    clusterServer: facts.clusterServer,
    targetEnv: context.targetEnv,
    user: context.user,
    host: context.host,
    createdAt: context.now.toISOString(),
    allowPending: context.allowPending,
    targetManifestSha256: facts.targetManifestSha256,
  });
}

/** `--execute --plan`: refuses (exit 3) with every difference when the cluster moved since the approval. */
export function requireUnchanged(approved: { readonly path: string; readonly document: PlanDocument }, now: PlanDocument): void {
  const differences = comparePlans(approved.document, now);
  if (differences.length === 0) return;
  throw new RollbackFailure('plan', `the approved plan ${approved.path} no longer matches the cluster; nothing was changed`, {
    details: differences.map((d) => `${d.release === null ? '' : `${d.release}: `}${d.what}`),
    hint: 'make a new plan with --dry-run --plan-out and have it approved again',
  });
}
