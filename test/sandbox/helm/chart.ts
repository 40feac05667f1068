import type { KObject } from '../kube/types.js';

/** What one stored revision of a scenario release renders to. */
export interface RevisionSpec {
  release: string;
  chartName: string;
  chartVersion: string;
  appVersion: string;
  imageTag: string;
  replicas: number;
  progressDeadlineSeconds?: number;
  /** StatefulSets and DaemonSets beside the Deployment, each with the revision's image tag. */
  workloads?: readonly WorkloadSpec[];
  /** YAML appended to the stored manifest as it is (Secrets in any style); not applied to the cluster by the seeder. */
  extraManifest?: string;
}

export interface WorkloadSpec {
  kind: 'StatefulSet' | 'DaemonSet';
  suffix: string;
  updateStrategy?: 'RollingUpdate' | 'OnDelete' | undefined;
  replicas?: number | undefined;
}

export const IMAGE_REPO = 'registry.example';

export const imageOf = (release: string, tag: string): string => `${IMAGE_REPO}/${release}:${tag}`;

function labels(r: RevisionSpec): Record<string, string> {
  return {
    'app.kubernetes.io/name': r.chartName,
    'app.kubernetes.io/instance': r.release,
    'app.kubernetes.io/version': r.appVersion,
    'app.kubernetes.io/managed-by': 'Helm',
    'helm.sh/chart': `${r.chartName}-${r.chartVersion}`,
  };
}

/**
 * The objects a typical `helm create` chart renders: a Service and a Deployment labelled
 * `app.kubernetes.io/instance=<release>`, one container named after the release running
 * `registry.example/<release>:<tag>`. The selector labels stay the same across revisions
 * (a Deployment's selector is immutable), only the image and version labels change.
 */
export function renderObjects(r: RevisionSpec): { source: string; object: KObject }[] {
  const selector = { 'app.kubernetes.io/name': r.chartName, 'app.kubernetes.io/instance': r.release };
  const service: KObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: r.release, labels: labels(r) },
    spec: { type: 'ClusterIP', ports: [{ port: 80, targetPort: 'http', protocol: 'TCP', name: 'http' }], selector },
  };
  const deployment: KObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: r.release, labels: labels(r) },
    spec: {
      replicas: r.replicas,
      ...(r.progressDeadlineSeconds === undefined ? {} : { progressDeadlineSeconds: r.progressDeadlineSeconds }),
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: selector },
        spec: {
          containers: [
            {
              name: r.release,
              image: imageOf(r.release, r.imageTag),
              imagePullPolicy: 'IfNotPresent',
              ports: [{ name: 'http', containerPort: 8080, protocol: 'TCP' }],
              readinessProbe: { httpGet: { path: '/healthz', port: 'http' } },
            },
          ],
        },
      },
    },
  };
  return [
    { source: `${r.chartName}/templates/service.yaml`, object: service },
    { source: `${r.chartName}/templates/deployment.yaml`, object: deployment },
    ...(r.workloads ?? []).map((w) => ({ source: `${r.chartName}/templates/${w.kind.toLowerCase()}-${w.suffix}.yaml`, object: workloadObject(r, w) })),
  ];
}

/**
 * A StatefulSet or DaemonSet named `<release>-<suffix>`, selected by an extra
 * `app.kubernetes.io/component` label so its selector is its own.
 */
function workloadObject(r: RevisionSpec, w: WorkloadSpec): KObject {
  const name = `${r.release}-${w.suffix}`;
  const selector = { 'app.kubernetes.io/name': r.chartName, 'app.kubernetes.io/instance': r.release, 'app.kubernetes.io/component': w.suffix };
  return {
    apiVersion: 'apps/v1',
    kind: w.kind,
    metadata: { name, labels: { ...labels(r), 'app.kubernetes.io/component': w.suffix } },
    spec: {
      ...(w.kind === 'StatefulSet' ? { serviceName: r.release, replicas: w.replicas ?? 1 } : {}),
      ...(w.updateStrategy === undefined ? {} : { updateStrategy: { type: w.updateStrategy } }),
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: selector },
        spec: { containers: [{ name, image: imageOf(name, r.imageTag), imagePullPolicy: 'IfNotPresent' }] },
      },
    },
  };
}
