import type { ClusterTarget, CommandSpec } from '../domain/commandSpec.js';
import { formatDuration } from '../domain/duration.js';
import { workloadRef, type DeploymentInfo } from '../domain/plan.js';

/** One builder per kubectl command. kubectl spells the context flag `--context`. */
function scope(target: ClusterTarget): string[] {
  return ['--namespace', target.namespace, '--context', target.context];
}

/** The label helm charts put on everything a release owns (Helm's recommended labels). */
export function instanceSelector(release: string): string {
  return `app.kubernetes.io/instance=${release}`;
}

/**
 * The one call that cannot name a context: it asks the kubeconfig which one is
 * current. Only a dry-run without --context uses it, once, before anything else.
 */
export function kubectlCurrentContext(file: string): CommandSpec {
  return {
    tool: 'kubectl',
    effect: 'read',
    file,
    args: ['config', 'current-context'],
    purpose: 'resolve the current kubeconfig context',
  };
}

/** Every workload kind `kubectl rollout status` can wait for, read in one `get`. */
export const WORKLOAD_RESOURCES = 'deployments,statefulsets,daemonsets';

export function kubectlGetWorkloads(file: string, target: ClusterTarget, release: string): CommandSpec {
  return {
    tool: 'kubectl',
    effect: 'read',
    file,
    args: ['get', WORKLOAD_RESOURCES, ...scope(target), '--selector', instanceSelector(release), '--output', 'json'],
    purpose: `find the Deployments, StatefulSets and DaemonSets of ${release}`,
  };
}

/**
 * One workload per call, by kind and name (`deployment/x`, `statefulset/x`, `daemonset/x`):
 * kubectl's `-l` form waits one after another and exits 0 when nothing matches, which
 * would verify nothing.
 */
export function kubectlRolloutStatus(
  file: string,
  target: ClusterTarget,
  workload: Pick<DeploymentInfo, 'kind' | 'name'>,
  timeoutMs: number,
): CommandSpec {
  const ref = workloadRef(workload);
  return {
    tool: 'kubectl',
    effect: 'read',
    file,
    args: ['rollout', 'status', ref, ...scope(target), '--timeout', formatDuration(timeoutMs)],
    purpose: `wait for ${ref} to roll out`,
    keepOutput: 'tail',
    timeoutMs,
  };
}

/**
 * An OnDelete StatefulSet or DaemonSet, for which `kubectl rollout status` only answers
 * `rollout status is only available for RollingUpdate strategy type`: wait until every Pod
 * its selector matches is Ready (all containers ready). `kubectl wait` fails when no Pod
 * matches (`no matching resources found`), so an empty selection verifies nothing silently.
 */
export function kubectlWaitPodsReady(
  file: string,
  target: ClusterTarget,
  workload: Pick<DeploymentInfo, 'kind' | 'name'>,
  podSelector: string,
  timeoutMs: number,
): CommandSpec {
  return {
    tool: 'kubectl',
    effect: 'read',
    file,
    args: ['wait', 'pods', ...scope(target), '--selector', podSelector, '--for', 'condition=Ready', '--timeout', formatDuration(timeoutMs)],
    purpose: `wait for the Pods of ${workloadRef(workload)} (OnDelete) to be ready`,
    keepOutput: 'tail',
    timeoutMs,
  };
}

/** `get` has no --timeout; --request-timeout bounds its one API request instead. */
export function kubectlGetPods(file: string, target: ClusterTarget, release: string, timeoutMs: number): CommandSpec {
  return {
    tool: 'kubectl',
    effect: 'read',
    file,
    args: [
      'get',
      'pods',
      ...scope(target),
      '--selector',
      instanceSelector(release),
      '--output',
      'wide',
      '--request-timeout',
      formatDuration(timeoutMs),
    ],
    purpose: `list the Pods of ${release}`,
    keepOutput: 'head',
    timeoutMs,
  };
}

/** The client's own version; local, no cluster. */
export function kubectlVersionClient(file: string): CommandSpec {
  return { tool: 'kubectl', effect: 'read', file, args: ['version', '--client', '--output', 'json'], purpose: 'read the kubectl version' };
}

/**
 * The kubeconfig entries of one context, to learn its cluster's server URL. Local, no
 * cluster call. Without `--raw` kubectl prints tokens and keys as REDACTED / DATA+OMITTED,
 * but not an `exec` plugin's arguments and environment, which may hold secrets: the
 * output is withheld from the record (`sensitiveOutput`) and only names and `server` are
 * kept. Without a context (a dry-run that resolves it later) `--minify` shows the
 * kubeconfig's current context, the one that will be resolved.
 */
export function kubectlConfigView(file: string, context: string | undefined): CommandSpec {
  return {
    tool: 'kubectl',
    effect: 'read',
    file,
    args: ['config', 'view', '--minify', ...(context === undefined ? [] : ['--context', context]), '--output', 'json'],
    purpose: context === undefined ? 'read the current context\'s cluster and server' : `read the cluster server of context ${context}`,
    sensitiveOutput: true,
  };
}

/**
 * Who holds a release's lock, carried in the lock ConfigMap's data so a refused run can
 * name it: `holder` is user@host, `deadline` the end of the holder's own --timeout budget.
 */
export interface LockIdentity {
  readonly holder: string;
  readonly pid: number;
  readonly run: string;
  /** RFC 3339: when the run that holds it started executing. */
  readonly since: string;
  /** RFC 3339: when the holder's --timeout (all its stages) runs out. */
  readonly deadline: string;
}

/** The one lock object of a release in its namespace; a ConfigMap name may hold dots. */
export const lockName = (release: string): string => `videokit-rollback-lock.${release}`;

/** Each lock command's own bound: `create`, `get` and `delete` are one API request each. */
export const LOCK_REQUEST_TIMEOUT_MS = 30_000;

/**
 * Takes a release's lock: `kubectl create` is a POST that the API server refuses with
 * AlreadyExists (409) when the object exists, so of two runs exactly one gets it.
 */
export function kubectlCreateLock(file: string, target: ClusterTarget, release: string, identity: LockIdentity, timeoutMs: number): CommandSpec {
  const literal = (key: string, value: string | number) => ['--from-literal', `${key}=${value}`];
  const bound = Math.min(timeoutMs, LOCK_REQUEST_TIMEOUT_MS);
  return {
    tool: 'kubectl',
    effect: 'write',
    file,
    args: [
      'create', 'configmap', lockName(release), ...scope(target),
      ...literal('release', release), ...literal('holder', identity.holder), ...literal('pid', identity.pid),
      ...literal('run', identity.run), ...literal('since', identity.since), ...literal('deadline', identity.deadline),
      '--request-timeout', formatDuration(bound),
    ],
    purpose: `lock ${release} against other runs`,
    timeoutMs: bound,
  };
}

/** Reads a lock another run holds, to say whose it is and since when. */
export function kubectlGetLock(file: string, target: ClusterTarget, release: string): CommandSpec {
  return {
    tool: 'kubectl',
    effect: 'read',
    file,
    args: ['get', 'configmap', lockName(release), ...scope(target), '--output', 'json', '--request-timeout', formatDuration(LOCK_REQUEST_TIMEOUT_MS)],
    purpose: `read who holds the lock on ${release}`,
    timeoutMs: LOCK_REQUEST_TIMEOUT_MS,
  };
}

/**
 * Releases the lock, with its own bound rather than what is left of --timeout: it runs
 * after a failure, an interrupt or a spent budget too. `--ignore-not-found`: a lock an
 * operator already removed is released.
 */
export function kubectlDeleteLock(file: string, target: ClusterTarget, release: string): CommandSpec {
  return {
    tool: 'kubectl',
    effect: 'write',
    file,
    args: ['delete', 'configmap', lockName(release), ...scope(target), '--ignore-not-found', '--request-timeout', formatDuration(LOCK_REQUEST_TIMEOUT_MS)],
    purpose: `unlock ${release}`,
    timeoutMs: LOCK_REQUEST_TIMEOUT_MS,
  };
}
