import type { ClusterTarget, CommandSpec } from '../domain/commandSpec.js';
import { formatDuration } from '../domain/duration.js';

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

export function kubectlGetDeployments(file: string, target: ClusterTarget, release: string): CommandSpec {
  return {
    tool: 'kubectl',
    effect: 'read',
    file,
    args: ['get', 'deployments', ...scope(target), '--selector', instanceSelector(release), '--output', 'json'],
    purpose: `find the Deployments of ${release}`,
  };
}

/**
 * One Deployment per call, by name: kubectl's `-l` form waits one after another
 * and exits 0 when nothing matches, which would verify nothing.
 */
export function kubectlRolloutStatus(
  file: string,
  target: ClusterTarget,
  deployment: string,
  timeoutMs: number,
): CommandSpec {
  return {
    tool: 'kubectl',
    effect: 'read',
    file,
    args: ['rollout', 'status', `deployment/${deployment}`, ...scope(target), '--timeout', formatDuration(timeoutMs)],
    purpose: `wait for deployment/${deployment} to roll out`,
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
 * output is withheld from the record (`sensitiveOutput`) and only `server` is kept.
 */
export function kubectlConfigView(file: string, context: string): CommandSpec {
  return {
    tool: 'kubectl',
    effect: 'read',
    file,
    args: ['config', 'view', '--minify', '--context', context, '--output', 'json'],
    purpose: `read the cluster server of context ${context}`,
    sensitiveOutput: true,
  };
}
