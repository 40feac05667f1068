import { describe, expect, it } from 'vitest';
import { checkHelmEnvironment, helmEnvironmentRefusal } from '../../src/domain/helmEnvironment.js';
import { helmGetManifest, helmHistory, helmListReleaseNames, helmRollback } from '../../src/tools/helm.js';
import { kubectlGetPods, kubectlGetWorkloads, kubectlRolloutStatus, kubectlWaitPodsReady } from '../../src/tools/kubectl.js';

describe("helm's environment", () => {
  it('refuses each variable that redirects the API server or identity, naming it and its kubeconfig field', () => {
    const check = checkHelmEnvironment({ HELM_KUBEAPISERVER: 'https://elsewhere:6443', HELM_KUBETOKEN: 'x', HELM_NAMESPACE: 'other', PATH: '/bin' });
    expect(check).toEqual({ refused: ['HELM_KUBEAPISERVER', 'HELM_KUBETOKEN'], overridden: ['HELM_NAMESPACE'] });
    const refusal = helmEnvironmentRefusal(check);
    expect(refusal?.kind).toBe('usage');
    expect(refusal?.message).toMatch(/^HELM_KUBEAPISERVER, HELM_KUBETOKEN are set: /);
    expect(refusal?.details).toEqual([
      'HELM_KUBEAPISERVER: put it in the kubeconfig as the cluster\'s "server" of the context you pass with --context',
      'HELM_KUBETOKEN: put it in the kubeconfig as the user\'s "token" (or "tokenFile") of the context you pass with --context',
    ]);
  });

  it('treats an empty variable as unset, as helm does, and lets HELM_KUBECONTEXT through as overridden', () => {
    const check = checkHelmEnvironment({ HELM_KUBEAPISERVER: '', HELM_KUBECONTEXT: 'staging' });
    expect(check).toEqual({ refused: [], overridden: ['HELM_KUBECONTEXT'] });
    expect(helmEnvironmentRefusal(check)).toBeUndefined();
  });

  it('is made harmless for the namespace and context because every cluster call names both', () => {
    const target = { context: 'prod-eu-west-1-admin', namespace: 'videokit' };
    const specs = [
      helmHistory('helm', target, 'r'), helmRollback('helm', target, 'r', 1, 60_000), helmGetManifest('helm', target, 'r', 1), helmListReleaseNames('helm', target, 5_000),
      kubectlGetWorkloads('kubectl', target, 'r'), kubectlRolloutStatus('kubectl', target, { kind: 'StatefulSet', name: 'd' }, 5_000),
      kubectlWaitPodsReady('kubectl', target, { kind: 'StatefulSet', name: 'd' }, 'a=b', 5_000), kubectlGetPods('kubectl', target, 'r', 5_000),
    ];
    for (const spec of specs) {
      const at = spec.args.indexOf('--namespace');
      expect(spec.args[at + 1]).toBe('videokit');
      const context = spec.args.indexOf(spec.tool === 'helm' ? '--kube-context' : '--context');
      expect(spec.args[context + 1]).toBe('prod-eu-west-1-admin');
    }
  });
});
