import type { Controllers } from './controllers/index.js';
import { renderObjects, type RevisionSpec } from './helm/chart.js';
import { releaseSecret, type StoredRevision } from './helm/release.js';
import { rfc3339 } from './kube/json.js';
import { R, resourceByKind } from './kube/resources.js';
import type { KObject } from './kube/types.js';
import type { Objects } from './store/objects.js';
import { liveRevisionOf, type ResolvedScenario, type ScenarioRelease } from './scenario.js';

const DAY_MS = 86_400_000;

function revisionSpec(rel: ScenarioRelease, rev: ScenarioRelease['revisions'][number]): RevisionSpec {
  return {
    release: rel.name,
    chartName: rev.chart.name,
    chartVersion: rev.chart.version,
    appVersion: rev.appVersion,
    imageTag: rev.imageTag,
    replicas: rev.replicas ?? rel.replicas,
    workloads: rel.workloads,
    ...(rev.progressDeadlineSeconds === undefined ? {} : { progressDeadlineSeconds: rev.progressDeadlineSeconds }),
    ...(rev.extraManifest === undefined ? {} : { extraManifest: rev.extraManifest }),
  };
}

/** Creates or replaces an object as `helm upgrade` would have left it, with helm's ownership metadata. */
function applyObject(objects: Objects, ns: string, release: string, obj: KObject): void {
  const rt = resourceByKind(obj.apiVersion, obj.kind);
  if (!rt) throw new Error(`scenario renders unsupported ${obj.apiVersion} ${obj.kind}`);
  const o: KObject = {
    ...obj,
    metadata: {
      ...obj.metadata,
      namespace: ns,
      annotations: { ...obj.metadata.annotations, 'meta.helm.sh/release-name': release, 'meta.helm.sh/release-namespace': ns },
    },
  };
  if (objects.find(rt, ns, o.metadata.name)) objects.update(rt, ns, o.metadata.name, o);
  else objects.create(rt, ns, o);
}

/**
 * Builds the cluster a scenario describes: namespaces; for each release, its revisions rolled
 * out in order so every earlier template leaves a scaled-down ReplicaSet behind (a rollback then
 * reuses one, as on a real cluster), the live revision last, settled with Ready pods; then one
 * helm release Secret per revision.
 */
export function seed(objects: Objects, controllers: Controllers, scenario: ResolvedScenario, now = Date.now()): void {
  for (const ns of scenario.namespaces) objects.create(R.namespaces, undefined, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
  controllers.kubelet.instant = true;
  try {
    for (const rel of scenario.releases) {
      const ns = rel.namespace ?? scenario.namespaces[0]!;
      const live = liveRevisionOf(rel);
      const ordered = [...rel.revisions].sort((a, b) => a.revision - b.revision);
      const rollout = [...ordered.filter((r) => r.revision !== live), ...ordered.filter((r) => r.revision === live)];
      for (const rev of rollout) {
        for (const { object } of renderObjects(revisionSpec(rel, rev))) applyObject(objects, ns, rel.name, object);
        controllers.drain();
      }
      const top = ordered[ordered.length - 1]!.revision;
      for (const rev of ordered) {
        const stored: StoredRevision = {
          ...revisionSpec(rel, rev),
          namespace: ns,
          revision: rev.revision,
          status: rev.status,
          description: rev.description,
          deployedAt: rev.deployedAt ?? rfc3339(now - (top - rev.revision + 1) * DAY_MS),
        };
        objects.create(R.secrets, ns, releaseSecret(stored));
      }
    }
  } finally {
    controllers.kubelet.instant = false;
  }
}
