import type { FakeRule } from './fakeTools.js';
import { CTX, NS } from './drillRules.js';

/** A `helm get manifest` output: a Deployment with the release's image tag, and a Secret. */
export function manifestOf(release: string, revision: number, password = 'hunter2'): string {
  return [
    '---',
    `# Source: ${release}/templates/secret.yaml`,
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    `  name: ${release}-credentials`,
    'data:',
    `  password: ${Buffer.from(password).toString('base64')}`,
    '---',
    `# Source: ${release}/templates/deployment.yaml`,
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${release}`,
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    `        - name: ${release}`,
    `          image: registry.example/${release}:1.${revision}.0`,
    '',
  ].join('\n');
}

export const CLUSTER_SERVER = 'https://prod-eu-west-1.example:6443';

/** Fake answers for the reads an approved plan and --diff add. */
export function planRules(options: { helmVersion?: string; server?: string; manifests?: Record<string, string> } = {}): FakeRule[] {
  const rules: FakeRule[] = [
    { tool: 'helm', args: ['version', '--short'], stdout: `${options.helmVersion ?? 'v4.1.4+g05fa379'}\n` },
    { tool: 'kubectl', args: ['version', '--client', '--output', 'json'], stdout: JSON.stringify({ clientVersion: { major: '1', minor: '35', gitVersion: 'v1.35.2' } }) },
    {
      tool: 'kubectl',
      args: ['config', 'view', '--minify', '--context', CTX, '--output', 'json'],
      stdout: JSON.stringify({ clusters: [{ name: 'prod', cluster: { server: options.server ?? CLUSTER_SERVER } }], users: [{ name: 'u', user: { token: 'REDACTED' } }] }),
    },
  ];
  for (const [release, revision] of [['videokit-api', 41], ['videokit-api', 42], ['videokit-worker', 17], ['videokit-worker', 18]] as const) {
    rules.push({
      tool: 'helm',
      args: ['get', 'manifest', release, '--revision', String(revision), '--namespace', NS, '--kube-context', CTX],
      stdout: options.manifests?.[`${release}@${revision}`] ?? manifestOf(release, revision, revision % 2 === 0 ? 'new-password' : 'hunter2'),
    });
  }
  return rules;
}
