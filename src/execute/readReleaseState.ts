import type { ClusterTarget } from '../domain/commandSpec.js';
import type { ReleaseStateRecord } from '../domain/events.js';
import { parseWorkloadList, parseHelmHistory } from '../plan/parseToolOutput.js';
import { describeFailure, type Binaries } from '../plan/readCluster.js';
import type { DeploymentInfo, ReleaseReading } from '../plan/types.js';
import type { CommandGate } from '../process/gate.js';
import { succeeded } from '../process/runner.js';
import { helmHistory } from '../tools/helm.js';
import { kubectlGetWorkloads, WORKLOAD_RESOURCES } from '../tools/kubectl.js';

/**
 * Where a release stands, from the same two reads planning makes: the newest helm
 * revision (after a rollback that is a new revision whose chart and app version are
 * the target's) and the workloads' (Deployments, StatefulSets, DaemonSets) images and readiness. Recorded so the report
 * never has to ask the cluster. A failed read is a problem noted, not a failure:
 * the stage already judged health.
 */
export async function readReleaseState(
  gate: CommandGate,
  bins: Binaries,
  target: ClusterTarget,
  release: string,
): Promise<ReleaseStateRecord> {
  const where = { phase: 'state' as const, release };
  const [historyResult, deploymentsResult] = await Promise.all([
    gate.run(helmHistory(bins.helm, target, release), where),
    gate.run(kubectlGetWorkloads(bins.kubectl, target, release), where),
  ]);
  const problems: string[] = [];
  let revision: ReleaseStateRecord['revision'] = null;
  if (succeeded(historyResult)) {
    const history = parseHelmHistory(historyResult.stdout);
    if (history.ok) revision = [...history.value].sort((a, b) => b.revision - a.revision)[0] ?? null;
    else problems.push(history.problem);
  } else problems.push(describeFailure('helm history', historyResult));

  let deployments: readonly DeploymentInfo[] | null = null;
  if (succeeded(deploymentsResult)) {
    const parsed = parseWorkloadList(deploymentsResult.stdout);
    if (parsed.ok) deployments = parsed.value;
    else problems.push(parsed.problem);
  } else problems.push(describeFailure(`kubectl get ${WORKLOAD_RESOURCES}`, deploymentsResult));

  return { revision, deployments, problem: problems.length === 0 ? null : problems.join('; ') };
}

/** The state before the run, from the planning reads (no extra command). */
export function stateFromReading(reading: ReleaseReading): ReleaseStateRecord {
  const problems: string[] = [];
  let revision: ReleaseStateRecord['revision'] = null;
  if (reading.history.ok) revision = [...reading.history.value].sort((a, b) => b.revision - a.revision)[0] ?? null;
  else problems.push(reading.history.problem);
  let deployments: ReleaseStateRecord['deployments'] = null;
  if (reading.deployments.ok) deployments = reading.deployments.value;
  else problems.push(reading.deployments.problem);
  return { revision, deployments, problem: problems.length === 0 ? null : problems.join('; ') };
}
