import type { HistoryEntry, RollbackPlan } from '../types.js';
import { workloadRef } from '../../domain/plan.js';
import { PLAN_DOCUMENT_KIND, PLAN_DOCUMENT_VERSION, type PlanDocument, type PlanDocumentRevision } from './planDocument.js';

/** What the plan document records besides the plan itself, read or known before it is written. */
export interface PlanFacts {
  readonly tool: { readonly name: string; readonly version: string };
  readonly helmVersion: string;
  readonly kubectlVersion: string;
  readonly clusterServer: string;
  readonly targetEnv: string | undefined;
  readonly user: string;
  readonly host: string;
  readonly createdAt: string;
  readonly allowPending: boolean;
  /** sha256 of each rolled-back release's target manifest, by release name. */
  readonly targetManifestSha256: Readonly<Record<string, string>>;
}

const revision = (entry: HistoryEntry): PlanDocumentRevision => ({
  revision: entry.revision,
  status: entry.status,
  chart: entry.chart,
  appVersion: entry.appVersion,
});

/** The plan as a document to approve. Pure: every fact is passed in. */
export function buildPlanDocument(plan: RollbackPlan, facts: PlanFacts): PlanDocument {
  return {
    kind: PLAN_DOCUMENT_KIND,
    schemaVersion: PLAN_DOCUMENT_VERSION,
    tool: { name: facts.tool.name, version: facts.tool.version },
    helm: { version: facts.helmVersion },
    kubectl: { version: facts.kubectlVersion },
    context: plan.context,
    cluster: { server: facts.clusterServer },
    namespace: plan.namespace,
    targetEnv: facts.targetEnv ?? null,
    createdBy: { user: facts.user, host: facts.host },
    createdAt: facts.createdAt,
    allowPending: facts.allowPending,
    releases: plan.releases.map((release) => {
      if (release.action === 'skip') {
        return { release: release.release, action: 'skip', reason: release.reason, current: release.current === undefined ? null : revision(release.current) };
      }
      if (release.action === 'already-rolled-back') {
        return { release: release.release, action: 'already-rolled-back', current: revision(release.current), rolledBackTo: release.rolledBackTo };
      }
      if (release.action === 'already-applied') {
        return { release: release.release, action: 'already-applied', current: revision(release.current), target: release.target };
      }
      const sha = facts.targetManifestSha256[release.release];
      if (sha === undefined) throw new Error(`no manifest hash for ${release.release}`);
      return {
        release: release.release,
        action: 'rollback',
        current: revision(release.current),
        target: revision(release.target),
        pinned: release.pinned,
        deployments: release.deployments.map(workloadRef),
        targetManifestSha256: sha,
      };
    }),
  };
}
