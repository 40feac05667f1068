import { describe, expect, it } from 'vitest';
import { formatCommand } from '../../src/domain/commandSpec.js';
import { helmGetManifest, helmHistory, helmRollback, helmVersion } from '../../src/tools/helm.js';
import { kubectlConfigView, kubectlCurrentContext, kubectlGetPods, kubectlGetWorkloads, kubectlRolloutStatus, kubectlVersionClient, kubectlWaitPodsReady } from '../../src/tools/kubectl.js';

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
  it('finds Deployments, StatefulSets and DaemonSets in one read by the instance label with --context', () => {
    expect(kubectlGetWorkloads('kubectl', target, 'videokit-api').args).toEqual([
      'get', 'deployments,statefulsets,daemonsets', '--namespace', 'videokit', '--context', 'prod-eu-west-1-admin',
      '--selector', 'app.kubernetes.io/instance=videokit-api', '--output', 'json',
    ]);
  });

  it('waits for one workload by kind and name with the time left', () => {
    const spec = kubectlRolloutStatus('kubectl', target, { kind: 'Deployment', name: 'videokit-api' }, 120_000);
    expect(spec.effect).toBe('read');
    expect(spec.args).toEqual([
      'rollout', 'status', 'deployment/videokit-api', '--namespace', 'videokit', '--context', 'prod-eu-west-1-admin', '--timeout', '2m0s',
    ]);
    expect(kubectlRolloutStatus('kubectl', target, { kind: 'StatefulSet', name: 'videokit-worker-db' }, 60_000).args).toEqual([
      'rollout', 'status', 'statefulset/videokit-worker-db', '--namespace', 'videokit', '--context', 'prod-eu-west-1-admin', '--timeout', '1m0s',
    ]);
    expect(kubectlRolloutStatus('kubectl', target, { kind: 'DaemonSet', name: 'videokit-worker-agent' }, 60_000).args).toEqual([
      'rollout', 'status', 'daemonset/videokit-worker-agent', '--namespace', 'videokit', '--context', 'prod-eu-west-1-admin', '--timeout', '1m0s',
    ]);
    // A record made when only Deployments were listed names no kind.
    expect(kubectlRolloutStatus('kubectl', target, { name: 'videokit-api' }, 60_000).args[2]).toBe('deployment/videokit-api');
  });

  it('waits for the Pods of an OnDelete workload by its selector, Ready, with the time left', () => {
    const spec = kubectlWaitPodsReady('kubectl', target, { kind: 'StatefulSet', name: 'videokit-worker-db' }, 'app.kubernetes.io/component=db,app.kubernetes.io/instance=videokit-worker', 90_000);
    expect(spec).toMatchObject({ effect: 'read', timeoutMs: 90_000, purpose: 'wait for the Pods of statefulset/videokit-worker-db (OnDelete) to be ready' });
    expect(spec.args).toEqual([
      'wait', 'pods', '--namespace', 'videokit', '--context', 'prod-eu-west-1-admin',
      '--selector', 'app.kubernetes.io/component=db,app.kubernetes.io/instance=videokit-worker', '--for', 'condition=Ready', '--timeout', '1m30s',
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
    for (const spec of [kubectlGetWorkloads('k', target, 'r'), kubectlRolloutStatus('k', target, { name: 'd' }, 5000), kubectlWaitPodsReady('k', target, { name: 'd' }, 'a=b', 5000), kubectlGetPods('k', target, 'r', 5000)]) {
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
