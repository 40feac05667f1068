import type { FakeRule } from './fakeTools.js';
import { deploymentsJson, historyJson, type Rev } from './history.js';

export const CTX = 'prod-eu-west-1-admin';
export const NS = 'videokit';
const helmScope = ['--namespace', NS, '--kube-context', CTX];
const kubectlScope = ['--namespace', NS, '--context', CTX];

export const DRILL_HISTORY: Record<string, Rev[]> = {
  'videokit-api': [
    { revision: 40, status: 'superseded' },
    { revision: 41, status: 'superseded' },
    { revision: 42, status: 'deployed' },
  ],
  'videokit-worker': [
    { revision: 16, status: 'superseded' },
    { revision: 17, status: 'superseded' },
    { revision: 18, status: 'deployed' },
  ],
};

export const POD_LISTING = (release: string) =>
  'NAME                        READY   STATUS    RESTARTS   AGE   IP          NODE     NOMINATED NODE   READINESS GATES\n' +
  `${release}-6d5f7c9b8-abcde   1/1     Running   0          12s   10.0.0.12   node-1   <none>           <none>\n`;

export interface DrillOptions {
  history?: Record<string, Rev[]>;
  deployments?: Record<string, string[]>;
  /** Overrides put first, so they win over the defaults. */
  overrides?: FakeRule[];
}

/** Fake answers for the drill: history, deployments, rollback, rollout status and pods of each release. */
export function drillRules(options: DrillOptions = {}): FakeRule[] {
  const history = options.history ?? DRILL_HISTORY;
  const rules: FakeRule[] = [...(options.overrides ?? [])];
  for (const [release, revs] of Object.entries(history)) {
    const deployments = options.deployments?.[release] ?? [release];
    rules.push(
      { tool: 'helm', args: ['history', release, ...helmScope, '--output', 'json', '--max', '256'], stdout: historyJson(release, revs) },
      // The read just before each helm rollback: the newest revision, unchanged.
      { tool: 'helm', args: ['history', release, ...helmScope, '--output', 'json', '--max', '1'], stdout: historyJson(release, revs.slice(-1)) },
      {
        tool: 'kubectl',
        args: ['get', 'deployments,statefulsets,daemonsets', ...kubectlScope, '--selector', `app.kubernetes.io/instance=${release}`, '--output', 'json'],
        stdout: deploymentsJson(deployments),
      },
      { tool: 'helm', prefix: ['rollback', release], stdout: 'Rollback was a success! Happy Helming!\n' },
      ...deployments.map((d): FakeRule => ({
        tool: 'kubectl',
        prefix: ['rollout', 'status', `deployment/${d}`],
        stdout: `deployment "${d}" successfully rolled out\n`,
      })),
      { tool: 'kubectl', prefix: ['get', 'pods', ...kubectlScope, '--selector', `app.kubernetes.io/instance=${release}`], stdout: POD_LISTING(release) },
      // The release's lock, taken before the read before the write and released after the waits.
      { tool: 'kubectl', prefix: ['create', 'configmap', `videokit-rollback-lock.${release}`, ...kubectlScope], stdout: `configmap/videokit-rollback-lock.${release} created\n` },
      { tool: 'kubectl', prefix: ['delete', 'configmap', `videokit-rollback-lock.${release}`, ...kubectlScope], stdout: `configmap "videokit-rollback-lock.${release}" deleted\n` },
    );
  }
  return rules;
}

export const DRILL_ARGS = ['--release', 'videokit-api', '--release', 'videokit-worker', '--namespace', NS, '--context', CTX];

/** argv with the varying `--timeout` value replaced, for exact comparisons. */
export function normaliseTimeouts(argv: string[]): string[] {
  return argv.map((word, i) => (argv[i - 1] === '--timeout' || argv[i - 1] === '--request-timeout' ? '<duration>' : word));
}
