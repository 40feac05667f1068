import { contextProblem, namespaceProblem, releaseNameProblem } from '../../domain/names.js';
import type { Clock } from '../../process/budget.js';
import { succeeded, type CommandRunner } from '../../process/runner.js';
import { helmListReleaseNames } from '../../tools/helm.js';
import { kubectlCurrentContext } from '../../tools/kubectl.js';

/** A completion that makes the shell hang is worse than none: helm gets a second. */
export const LOOKUP_BUDGET_MS = 1_000;

export interface ReleaseLookup {
  readonly namespace: string | undefined;
  readonly context: string | undefined;
  readonly helm: string;
  readonly kubectl: string;
}

/**
 * Release names in the namespace and context already typed (or $KUBE_CONTEXT, or the
 * kubeconfig's current context), for completing --release. Any failure, a missing
 * namespace or a slow helm gives an empty list: completion never prints errors.
 * Without --namespace nothing is listed, since every helm call names its namespace.
 */
export async function listReleaseNames(lookup: ReleaseLookup, runner: CommandRunner, clock: Clock): Promise<string[]> {
  const started = clock.monotonicMs();
  const left = () => LOOKUP_BUDGET_MS - (clock.monotonicMs() - started);
  const { namespace } = lookup;
  if (namespace === undefined || namespaceProblem(namespace) !== undefined) return [];

  let context = lookup.context;
  if (context === undefined) {
    const current = await runner.run(kubectlCurrentContext(lookup.kubectl), { watchdogMs: left() });
    if (!succeeded(current)) return [];
    context = current.stdout.trim();
  }
  if (context === '' || contextProblem(context) !== undefined || left() <= 0) return [];

  const list = await runner.run(helmListReleaseNames(lookup.helm, { namespace, context }, left()), { watchdogMs: left() });
  if (!succeeded(list)) return [];
  // `--short` prints one name per line; anything that is not a release name is not trusted.
  const names = list.stdout.split('\n').map((name) => name.trim()).filter((name) => name !== '');
  return names.every((name) => releaseNameProblem(name) === undefined) ? names : [];
}
