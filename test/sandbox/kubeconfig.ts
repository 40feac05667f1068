import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClientHome {
  kubeconfigPath: string;
  env: Record<string, string>;
}

/**
 * Writes a kubeconfig with one context for the sandbox and gives helm and kubectl homes of their
 * own inside `dir`: kubectl caches discovery under `$HOME/.kube/cache` (keyed by host:port, so a
 * stale cache from an earlier sandbox on the same port would be reused) and helm under its cache
 * home. Nothing of the user's own configuration is read or written.
 *
 * No credentials: client-go sends bearer tokens only over TLS, and the server is plain HTTP.
 */
export function writeClientHome(dir: string, url: string, context: string, namespace: string): ClientHome {
  const home = join(dir, 'home');
  const env = {
    KUBECONFIG: join(dir, 'kubeconfig'),
    HOME: home,
    HELM_CACHE_HOME: join(home, '.cache', 'helm'),
    HELM_CONFIG_HOME: join(home, '.config', 'helm'),
    HELM_DATA_HOME: join(home, '.local', 'share', 'helm'),
  };
  for (const d of [env.HELM_CACHE_HOME, env.HELM_CONFIG_HOME, env.HELM_DATA_HOME, join(home, '.kube')]) mkdirSync(d, { recursive: true });
  const cluster = `sandbox-${context}`;
  const yaml = [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${JSON.stringify(cluster)}`,
    '  cluster:',
    `    server: ${JSON.stringify(url)}`,
    'users:',
    '- name: sandbox-admin',
    '  user: {}',
    'contexts:',
    `- name: ${JSON.stringify(context)}`,
    '  context:',
    `    cluster: ${JSON.stringify(cluster)}`,
    '    user: sandbox-admin',
    `    namespace: ${JSON.stringify(namespace)}`,
    `current-context: ${JSON.stringify(context)}`,
    'preferences: {}',
    '',
  ].join('\n');
  // helm warns "Kubernetes configuration file is group-readable" unless it is 0600.
  writeFileSync(env.KUBECONFIG, yaml, { mode: 0o600 });
  return { kubeconfigPath: env.KUBECONFIG, env };
}
