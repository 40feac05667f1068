import { RollbackFailure } from './errors.js';

/**
 * helm reads these from the environment (`helm --help`, helm 3.17 and 4.1) and lets them
 * override the kubeconfig: with one set, helm talks to another API server, or as another
 * identity, than kubectl does for the same --kube-context/--context. kubectl reads none
 * of them. The rollback would then write to one cluster while the tool verifies another.
 * Each maps to the kubeconfig field that says the same thing for both tools.
 */
export const REDIRECTING_HELM_VARIABLES: Readonly<Record<string, string>> = {
  HELM_KUBEAPISERVER: 'the cluster\'s "server"',
  HELM_KUBETOKEN: 'the user\'s "token" (or "tokenFile")',
  HELM_KUBECAFILE: 'the cluster\'s "certificate-authority"',
  HELM_KUBEASUSER: 'the user\'s "as"',
  HELM_KUBEASGROUPS: 'the user\'s "as-groups"',
  HELM_KUBEINSECURE_SKIP_TLS_VERIFY: 'the cluster\'s "insecure-skip-tls-verify"',
  HELM_KUBETLS_SERVER_NAME: 'the cluster\'s "tls-server-name"',
};

/**
 * Also read by helm, but every helm call this tool makes names them explicitly
 * (`--kube-context`, `--namespace`), and an explicit flag wins over the variable.
 * They are recorded, not refused. (kubectl's own default namespace, from the
 * kubeconfig context, is overridden the same way: every kubectl call has --namespace.)
 */
export const OVERRIDDEN_HELM_VARIABLES: Readonly<Record<string, string>> = {
  HELM_KUBECONTEXT: '--kube-context',
  HELM_NAMESPACE: '--namespace',
};

export interface HelmEnvironmentCheck {
  /** Redirecting variables that are set: the run is refused. */
  readonly refused: readonly string[];
  /** Variables set but overridden by the flags every call carries. */
  readonly overridden: readonly string[];
}

const isSet = (env: NodeJS.ProcessEnv, name: string) => (env[name] ?? '') !== '';

/** Which of helm's redirecting and overridden variables the environment sets (helm treats an empty one as unset). */
export function checkHelmEnvironment(env: NodeJS.ProcessEnv): HelmEnvironmentCheck {
  return {
    refused: Object.keys(REDIRECTING_HELM_VARIABLES).filter((name) => isSet(env, name)),
    overridden: Object.keys(OVERRIDDEN_HELM_VARIABLES).filter((name) => isSet(env, name)),
  };
}

/** The refusal (exit 2) for a check that found redirecting variables, naming each and its kubeconfig field. */
export function helmEnvironmentRefusal(check: HelmEnvironmentCheck): RollbackFailure | undefined {
  if (check.refused.length === 0) return undefined;
  const names = check.refused.join(', ');
  return new RollbackFailure(
    'usage',
    `${names} ${check.refused.length === 1 ? 'is' : 'are'} set: helm would use ${check.refused.length === 1 ? 'it' : 'them'} instead of the kubeconfig, ` +
      'and kubectl does not, so the rollback could go to another cluster, or as another identity, than the one verified; refusing before any command',
    {
      details: check.refused.map((name) => `${name}: put it in the kubeconfig as ${REDIRECTING_HELM_VARIABLES[name]} of the context you pass with --context`),
      hint: `unset ${names} and use a kubeconfig context that says the same (KUBECONFIG may name a file of its own): helm and kubectl then both use it; see docs/safety.md`,
    },
  );
}
