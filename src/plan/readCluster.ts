import type { ClusterTarget } from '../domain/commandSpec.js';
import type { CommandGate } from '../process/gate.js';
import type { CommandResult } from '../process/runner.js';
import { helmHistory } from '../tools/helm.js';
import { kubectlGetWorkloads, WORKLOAD_RESOURCES } from '../tools/kubectl.js';
import { mapWithConcurrency } from '../process/pool.js';
import { parseWorkloadList, parseHelmHistory } from './parseToolOutput.js';
import { reasonLine } from './toolErrors.js';
import type { ClusterSnapshot, ReleaseReading } from './types.js';

export interface Binaries {
  readonly helm: string;
  readonly kubectl: string;
}

/** Why a read failed, in one line: helm and kubectl put their reason on stderr. */
export function describeFailure(tool: string, result: CommandResult): string {
  if (result.spawnError !== undefined) return `${tool} could not be started: ${result.spawnError}`;
  if (result.timedOut) return `${tool} outlived its time limit and was ended by the watchdog${result.signal === null ? '' : ` (${result.signal})`}`;
  if (result.signal !== null) return `${tool} was killed by ${result.signal}`;
  return `${tool} exited ${result.exitCode}: ${reasonLine(result.stderr || result.stdout)}`;
}

/** helm 3 and 4 both print `Error: release: not found` for a release that does not exist. */
const RELEASE_NOT_FOUND = /release: not found/;

async function readRelease(gate: CommandGate, bins: Binaries, target: ClusterTarget, release: string): Promise<ReleaseReading> {
  const where = { phase: 'plan' as const, release };
  const [historyResult, deploymentsResult] = await Promise.all([
    gate.run(helmHistory(bins.helm, target, release), where),
    gate.run(kubectlGetWorkloads(bins.kubectl, target, release), where),
  ]);

  let history: ReleaseReading['history'];
  if (historyResult.exitCode === 0 && !historyResult.timedOut) history = parseHelmHistory(historyResult.stdout);
  else if (RELEASE_NOT_FOUND.test(historyResult.stderr)) {
    history = { ok: false, problem: `release not found in namespace ${target.namespace} (context ${target.context})` };
  } else history = { ok: false, problem: describeFailure('helm history', historyResult) };

  const deployments: ReleaseReading['deployments'] =
    deploymentsResult.exitCode === 0 && !deploymentsResult.timedOut
      ? parseWorkloadList(deploymentsResult.stdout)
      : { ok: false, problem: describeFailure(`kubectl get ${WORKLOAD_RESOURCES}`, deploymentsResult) };

  return { release, history, deployments };
}

/** All planning reads, for every release, a bounded number at a time. */
export async function readCluster(
  gate: CommandGate,
  bins: Binaries,
  target: ClusterTarget,
  releases: readonly string[],
  concurrency: number,
): Promise<ClusterSnapshot> {
  const readings = await mapWithConcurrency(releases, concurrency, (release) => readRelease(gate, bins, target, release));
  return { releases: readings };
}
