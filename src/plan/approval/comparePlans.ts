import type { PlanDocument, PlanDocumentRelease, PlanDocumentRevision } from './planDocument.js';

/** Plans approved when only Deployments were listed name them bare: `videokit-api` is `deployment/videokit-api`. */
const asWorkloadRef = (entry: string): string => (entry.includes('/') ? entry : `deployment/${entry}`);

/** One way the cluster moved since the plan was approved, in words an approver understands. */
export interface PlanDifference {
  /** The release concerned, or null for the context, cluster and environment. */
  readonly release: string | null;
  readonly what: string;
}

function describeRevision(r: PlanDocumentRevision): string {
  return `${r.revision} (${r.status}, ${r.chart}, app ${r.appVersion || '-'})`;
}

function compareRevision(release: string, label: string, approved: PlanDocumentRevision | null, now: PlanDocumentRevision | null, out: PlanDifference[]): void {
  if (approved === null || now === null) {
    if (approved !== now) out.push({ release, what: `${label} revision: approved ${approved === null ? 'none' : describeRevision(approved)}, now ${now === null ? 'none' : describeRevision(now)}` });
    return;
  }
  if (approved.revision !== now.revision) {
    out.push({
      release,
      what:
        label === 'current'
          ? `new revision ${now.revision} (${now.status}) since the plan was approved at ${approved.revision}`
          : `different target: approved ${approved.revision}, now ${now.revision}`,
    });
    return;
  }
  if (approved.status !== now.status) out.push({ release, what: `${label} revision ${now.revision} status changed: ${approved.status} -> ${now.status}` });
  if (approved.chart !== now.chart || approved.appVersion !== now.appVersion) {
    out.push({ release, what: `${label} revision ${now.revision} changed: approved ${describeRevision(approved)}, now ${describeRevision(now)}` });
  }
}

/** What the plan does with a release, in words, for a difference line. */
function describeAction(release: PlanDocumentRelease): string {
  switch (release.action) {
    case 'rollback':
      return `roll back to ${release.target.revision}`;
    case 'skip':
      return `skip (${release.reason})`;
    case 'already-rolled-back':
      return `leave as already rolled back (to ${release.rolledBackTo})`;
    case 'already-applied':
      return `leave as already applied (to ${release.target})`;
  }
}

function compareRelease(approved: PlanDocumentRelease, now: PlanDocumentRelease, out: PlanDifference[]): void {
  const { release } = approved;
  // The approved rollback itself, done since (by an earlier run of this plan): not drift.
  if (approved.action === 'rollback' && now.action === 'already-applied' && now.target === approved.target.revision) return;
  compareRevision(release, 'current', approved.current, now.current, out);
  if (approved.action !== now.action) {
    out.push({ release, what: `approved to ${describeAction(approved)}, now it would ${describeAction(now)}` });
    return;
  }
  if (approved.action !== 'rollback' || now.action !== 'rollback') return;
  compareRevision(release, 'target', approved.target, now.target, out);
  if (approved.target.revision === now.target.revision && approved.targetManifestSha256 !== now.targetManifestSha256) {
    out.push({ release, what: `manifest of target revision ${now.target.revision} differs (sha256 ${approved.targetManifestSha256.slice(0, 12)}… approved, ${now.targetManifestSha256.slice(0, 12)}… now)` });
  }
  const approvedWorkloads = approved.deployments.map(asWorkloadRef).sort().join(', ');
  const nowWorkloads = now.deployments.map(asWorkloadRef).sort().join(', ');
  if (approvedWorkloads !== nowWorkloads) {
    out.push({ release, what: `workloads to watch changed: approved [${approvedWorkloads}], now [${nowWorkloads}]` });
  }
}

/**
 * Everything that moved between the approved plan and the plan made from what the
 * cluster says now. Empty means: execute exactly the approved plan. Pure; the
 * creation data (who, when, tool versions) is not compared — it describes the approval.
 */
export function comparePlans(approved: PlanDocument, now: PlanDocument): PlanDifference[] {
  const out: PlanDifference[] = [];
  if (approved.context !== now.context) out.push({ release: null, what: `context: approved ${approved.context}, now ${now.context}` });
  if (approved.cluster.server !== now.cluster.server) {
    out.push({ release: null, what: `cluster of context ${now.context}: approved ${approved.cluster.server}, now ${now.cluster.server}` });
  }
  if (approved.namespace !== now.namespace) out.push({ release: null, what: `namespace: approved ${approved.namespace}, now ${now.namespace}` });
  if (approved.targetEnv !== now.targetEnv) {
    out.push({ release: null, what: `TARGET_ENV: approved ${approved.targetEnv ?? '(unset)'}, now ${now.targetEnv ?? '(unset)'}` });
  }
  const names = (doc: PlanDocument) => doc.releases.map((r) => r.release).join(', ');
  if (names(approved) !== names(now)) out.push({ release: null, what: `releases: approved [${names(approved)}], now [${names(now)}]` });
  for (const release of approved.releases) {
    const current = now.releases.find((r) => r.release === release.release);
    if (current !== undefined) compareRelease(release, current, out);
  }
  return out;
}

/** `--plan-max-age`: a plan is approved for a short while; a plan from the future is a wrong clock. */
export function planAgeProblem(createdAt: string, now: Date, maxAgeMs: number): string | undefined {
  const ageMs = now.getTime() - Date.parse(createdAt);
  const SKEW_MS = 5 * 60_000;
  if (ageMs < -SKEW_MS) return `was created at ${createdAt}, in the future: check the clocks`;
  if (ageMs > maxAgeMs) return `was created at ${createdAt}, ${Math.floor(ageMs / 60_000)} min ago: older than --plan-max-age; make and approve a new one`;
  return undefined;
}
