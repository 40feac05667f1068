import type { FakeRule } from './fakeTools.js';
import { CTX, DRILL_HISTORY, NS, drillRules } from './drillRules.js';
import { deploymentsJson, historyJson, type Rev } from './history.js';

/** The image a release runs at a revision: what the report's before/after table must show. */
export const imageAt = (release: string, revision: number) => `registry.example/${release}:1.${revision}.0`;

/** [release, revision before the drill, rollback target] of the drill scenario. */
export const DRILL_RELEASES = [
  ['videokit-api', 42, 41],
  ['videokit-worker', 18, 17],
] as const;

const superseded = (revs: Rev[]): Rev[] => revs.map((r) => ({ ...r, status: r.status === 'deployed' ? 'superseded' : r.status }));

/**
 * The drill scenario with state: after `helm rollback <release> <target>` helm history
 * shows the new revision (current + 1, the target's chart and app version) and the
 * Deployment runs the target's image; after the roll forward, revision current + 2 with
 * the original chart, app version and image. Rules in `overrides` still win.
 */
export function statefulDrillRules(
  options: { overrides?: FakeRule[]; history?: Record<string, Rev[]>; forwardFails?: Record<string, string> } = {},
): FakeRule[] {
  const history = options.history ?? DRILL_HISTORY;
  const rules: FakeRule[] = [];
  for (const [release, current, target] of DRILL_RELEASES) {
    const before = history[release];
    if (before === undefined) continue;
    const rolledBack: Rev[] = [
      ...superseded(before),
      { revision: current + 1, status: 'deployed', chart: `${release}-0.${target}.0`, app_version: `1.${target}.0`, description: `Rollback to ${target}` },
    ];
    const rolledForward: Rev[] = [
      ...superseded(rolledBack),
      { revision: current + 2, status: 'deployed', chart: `${release}-0.${current}.0`, app_version: `1.${current}.0`, description: `Rollback to ${current}` },
    ];
    const forward = { tool: 'helm' as const, prefix: ['rollback', release, String(current)] };
    const back = { tool: 'helm' as const, prefix: ['rollback', release, String(target)] };
    const historyArgs = ['history', release, '--namespace', NS, '--kube-context', CTX];
    const deployments = ['get', 'deployments,statefulsets,daemonsets', '--namespace', NS, '--context', CTX, '--selector', `app.kubernetes.io/instance=${release}`];
    const ready = { replicas: 2, ready: 2 };
    const failure = options.forwardFails?.[release];
    if (failure !== undefined) {
      // The roll forward fails and changes nothing: the release stays as the rollback left it.
      rules.push({ tool: 'helm', prefix: forward.prefix, stderr: failure, exitCode: 1 });
    } else {
      rules.push(
        { tool: 'helm', prefix: historyArgs, after: forward, stdout: historyJson(release, rolledForward) },
        { tool: 'kubectl', prefix: deployments, after: forward, stdout: deploymentsJson([release], imageAt(release, current), ready) },
      );
    }
    rules.push(
      { tool: 'helm', prefix: historyArgs, after: back, stdout: historyJson(release, rolledBack) },
      { tool: 'kubectl', prefix: deployments, after: back, stdout: deploymentsJson([release], imageAt(release, target), ready) },
      { tool: 'kubectl', prefix: deployments, stdout: deploymentsJson([release], imageAt(release, current), ready) },
    );
  }
  return drillRules({ history, overrides: [...(options.overrides ?? []), ...rules] });
}
