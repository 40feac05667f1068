/** Builds `helm history -o json` output the way helm prints it. */
export interface Rev {
  revision: number;
  status: string;
  chart?: string;
  app_version?: string;
  updated?: string;
  description?: string;
}

export function historyJson(release: string, revisions: Rev[]): string {
  return `${JSON.stringify(
    revisions.map((r) => ({
      revision: r.revision,
      updated: r.updated ?? `2026-11-${String((r.revision % 28) + 1).padStart(2, '0')}T09:00:00Z`,
      status: r.status,
      chart: r.chart ?? `${release}-0.${r.revision}.0`,
      app_version: r.app_version ?? `1.${r.revision}.0`,
      description: r.description ?? (r.status === 'failed' ? 'Upgrade failed' : 'Upgrade complete'),
    })),
  )}\n`;
}

export interface DeploymentState {
  /** `status.replicas` / `status.readyReplicas`, as the API server reports them. */
  replicas: number;
  ready: number;
}

export function deploymentsJson(names: string[], image = 'registry.example/app:1.0.0', state?: DeploymentState): string {
  return `${JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: names.map((name) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels: { 'app.kubernetes.io/instance': name } },
      spec: { template: { spec: { containers: [{ name, image }] } } },
      ...(state === undefined ? {} : { status: { replicas: state.replicas, ...(state.ready === 0 ? {} : { readyReplicas: state.ready }) } }),
    })),
  })}\n`;
}

/**
 * The read just before each `helm rollback` (compare before write), answered with the
 * revision the plan started from: for tests about something else, which add one per release.
 */
export function newestRead(release: string, current: { revision: number; status: string }, scope: readonly string[]) {
  return {
    args: ['history', release, ...scope, '--output', 'json', '--max', '1'],
    result: { stdout: historyJson(release, [{ revision: current.revision, status: current.status }]) },
  };
}
