import { describe, expect, it } from 'vitest';
import { formatCommand } from '../../src/domain/commandSpec.js';
import { helmGetManifest, helmHistory, helmRollback, helmVersion } from '../../src/tools/helm.js';
import { kubectlConfigView, kubectlCurrentContext, kubectlGetDeployments, kubectlGetPods, kubectlRolloutStatus, kubectlVersionClient } from '../../src/tools/kubectl.js';

const target = { context: 'prod-eu-west-1-admin', namespace: 'videokit' };

describe('helm builders', () => {
  it('reads history as JSON with --kube-context', () => {
    const spec = helmHistory('helm', target, 'videokit-api');
    expect(spec.effect).toBe('read');
    expect(spec.args).toEqual([
      'history', 'videokit-api', '--namespace', 'videokit', '--kube-context', 'prod-eu-west-1-admin', '--output', 'json', '--max', '256',
    ]);
  });

  it('rolls back to an explicit revision with bare --wait, never --atomic', () => {
    const spec = helmRollback('helm', target, 'videokit-api', 41, 598_400);
    expect(spec.effect).toBe('write');
    expect(spec.args).toEqual([
      'rollback', 'videokit-api', '41', '--namespace', 'videokit', '--kube-context', 'prod-eu-west-1-admin', '--wait', '--timeout', '9m58s',
    ]);
    expect(spec.args).not.toContain('--atomic');
    expect(spec.args).not.toContain('--context');
    expect(spec.timeoutMs).toBe(598_400);
    expect(formatCommand(spec)).toBe(
      'helm rollback videokit-api 41 --namespace videokit --kube-context prod-eu-west-1-admin --wait --timeout 9m58s',
    );
  });
});

describe('kubectl builders', () => {
  it('finds Deployments by the instance label with --context', () => {
    expect(kubectlGetDeployments('kubectl', target, 'videokit-api').args).toEqual([
      'get', 'deployments', '--namespace', 'videokit', '--context', 'prod-eu-west-1-admin',
      '--selector', 'app.kubernetes.io/instance=videokit-api', '--output', 'json',
    ]);
  });

  it('waits for one Deployment by name with the time left', () => {
    const spec = kubectlRolloutStatus('kubectl', target, 'videokit-api', 120_000);
    expect(spec.effect).toBe('read');
    expect(spec.args).toEqual([
      'rollout', 'status', 'deployment/videokit-api', '--namespace', 'videokit', '--context', 'prod-eu-west-1-admin', '--timeout', '2m0s',
    ]);
  });

  it('lists Pods wide, bounded by --request-timeout', () => {
    expect(kubectlGetPods('kubectl', target, 'videokit-worker', 30_000).args).toEqual([
      'get', 'pods', '--namespace', 'videokit', '--context', 'prod-eu-west-1-admin',
      '--selector', 'app.kubernetes.io/instance=videokit-worker', '--output', 'wide', '--request-timeout', '30s',
    ]);
  });

  it('asks the kubeconfig for its current context', () => {
    expect(kubectlCurrentContext('/opt/kubectl').args).toEqual(['config', 'current-context']);
  });

  it('never names helm\'s context flag', () => {
    for (const spec of [kubectlGetDeployments('k', target, 'r'), kubectlRolloutStatus('k', target, 'd', 5000), kubectlGetPods('k', target, 'r', 5000)]) {
      expect(spec.args).not.toContain('--kube-context');
    }
  });
});

describe('builders whose output may hold secrets', () => {
  it('helm get manifest (Secret data) and kubectl config view (exec plugin env) are marked sensitive; the rest is not', () => {
    const target = { context: 'prod-eu-west-1-admin', namespace: 'videokit' };
    expect(helmGetManifest('helm', target, 'videokit-api', 41)).toMatchObject({
      effect: 'read', sensitiveOutput: true, args: ['get', 'manifest', 'videokit-api', '--revision', '41', '--namespace', 'videokit', '--kube-context', 'prod-eu-west-1-admin'],
    });
    expect(kubectlConfigView('kubectl', 'prod-eu-west-1-admin')).toMatchObject({
      effect: 'read', sensitiveOutput: true, args: ['config', 'view', '--minify', '--context', 'prod-eu-west-1-admin', '--output', 'json'],
    });
    expect(helmVersion('helm').sensitiveOutput).toBeUndefined();
    expect(kubectlVersionClient('kubectl')).toMatchObject({ effect: 'read', args: ['version', '--client', '--output', 'json'] });
  });
});
