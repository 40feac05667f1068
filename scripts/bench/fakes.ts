import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Fake helm and kubectl for the benchmark: POSIX sh scripts that sleep for a
 * configurable latency and print canned output. Not test/fakes/fake-tool.mjs: a
 * Node process costs ~40-200 ms of CPU to start, so forty of them side by side
 * on a 2-core machine would measure the fake, not the tool. These cost a
 * millisecond or two each, as the real Go binaries' client side roughly does
 * next to the cluster's latency.
 */
export interface Latencies {
  /** Seconds; 0 skips the sleep. */
  readonly history: number;
  readonly getDeployments: number;
  readonly rollback: number;
  readonly rolloutStatus: number;
  readonly getPods: number;
  /** The release lock's `kubectl create configmap` and `kubectl delete configmap`, each. */
  readonly lock?: number;
}

export const NO_LATENCY: Latencies = { history: 0, getDeployments: 0, rollback: 0, rolloutStatus: 0, getPods: 0, lock: 0 };

export interface BenchFakes {
  readonly dir: string;
  readonly helm: string;
  readonly kubectl: string;
  readonly deploymentsOf: (release: string) => string[];
}

export interface FakeCluster {
  readonly releases: readonly string[];
  readonly deploymentsPerRelease: number;
  readonly latencies: Latencies;
  /** Pods listed by `get pods` for each release. */
  readonly pods?: number;
  /** Bytes `rollout status` prints (repeated "Waiting for deployment ..." lines). */
  readonly rolloutOutputBytes?: number;
}


function historyJson(release: string): string {
  return JSON.stringify(
    [1, 2, 3].map((revision) => ({
      revision,
      updated: `2026-11-2${revision}T09:00:00Z`,
      status: revision === 3 ? 'deployed' : 'superseded',
      chart: `${release}-0.${revision}.0`,
      app_version: `1.${revision}.0`,
      description: 'Upgrade complete',
    })),
  );
}

function deploymentsJson(release: string, names: string[]): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'List',
    items: names.map((name) => ({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, labels: { 'app.kubernetes.io/instance': release } },
      spec: { template: { spec: { containers: [{ name, image: 'registry.example/app:1.0.0' }] } } },
    })),
  });
}

/** `kubectl get pods -o wide` for `count` Pods. */
function podListing(release: string, count: number): string {
  const header = 'NAME                                 READY   STATUS    RESTARTS   AGE   IP            NODE          NOMINATED NODE   READINESS GATES\n';
  const rows = Array.from(
    { length: count },
    (_, i) =>
      `${release}-6d5f7c9b8-${String(i).padStart(5, '0')}   1/1     Running   0          42s   10.1.${(i >> 8) & 255}.${i & 255}   node-${String(i % 50).padStart(3, '0')}      <none>           <none>\n`,
  );
  return header + rows.join('');
}

function rolloutOutput(bytes: number): string {
  const line = 'Waiting for deployment "app" rollout to finish: 512 of 1000 updated replicas are available...\n';
  return line.repeat(Math.max(1, Math.ceil(bytes / line.length))) + 'deployment "app" successfully rolled out\n';
}

/** Writes the canned outputs and the two scripts into a fresh folder. */
export function createBenchFakes(cluster: FakeCluster): BenchFakes {
  const dir = mkdtempSync(join(tmpdir(), 'vkr-bench-'));
  const deploymentsOf = (release: string) => Array.from({ length: cluster.deploymentsPerRelease }, (_, i) => `${release}-d${i + 1}`);
  for (const release of cluster.releases) {
    writeFileSync(join(dir, `history-${release}.json`), historyJson(release));
    writeFileSync(join(dir, `deployments-${release}.json`), deploymentsJson(release, deploymentsOf(release)));
    writeFileSync(join(dir, `pods-${release}.txt`), podListing(release, cluster.pods ?? 3));
  }
  writeFileSync(join(dir, 'rollout.txt'), rolloutOutput(cluster.rolloutOutputBytes ?? 0));
  // The reads of run-start's identity, answered as kubectl answers them.
  writeFileSync(join(dir, 'kubectl-version.json'), '{"clientVersion":{"major":"1","minor":"31","gitVersion":"v1.31.9"}}\n');
  writeFileSync(
    join(dir, 'kubeconfig-view.json'),
    JSON.stringify({
      clusters: [{ name: 'bench', cluster: { server: 'https://bench.example:6443' } }],
      users: [{ name: 'bench-admin', user: {} }],
      contexts: [{ name: 'bench-ctx', context: { cluster: 'bench', user: 'bench-admin' } }],
    }),
  );
  const l = cluster.latencies;
  // answer FILE SECONDS: print FILE, then stay alive SECONDS. With a latency the file is
  // printed by shell builtins and the shell then becomes `sleep` (exec): one process per
  // call, like the real Go binaries, so forty calls side by side cost the machine little.
  // Without one, `exec cat` streams big files fast.
  const answer = `answer() {
  if [ "$2" = 0 ]; then exec cat "$1"; fi
  while IFS= read -r line || [ -n "$line" ]; do printf '%s\\n' "$line"; done < "$1"
  exec sleep "$2"
}`;
  const secs = (seconds: number) => (seconds > 0 ? seconds.toFixed(3) : '0');
  const helm = join(dir, 'helm');
  writeFileSync(join(dir, 'rollback.txt'), 'Rollback was a success! Happy Helming!\n');
  writeFileSync(join(dir, 'lock.txt'), 'configmap/videokit-rollback-lock created\n');
  writeFileSync(
    helm,
    `#!/bin/sh
d='${dir}'
${answer}
case "$1" in
  history) answer "$d/history-$2.json" ${secs(l.history)} ;;
  rollback) answer "$d/rollback.txt" ${secs(l.rollback)} ;;
  version) printf 'v3.17.3' ;;
  *) echo "bench helm: unexpected: $*" >&2; exit 97 ;;
esac
`,
  );
  const kubectl = join(dir, 'kubectl');
  writeFileSync(
    kubectl,
    `#!/bin/sh
d='${dir}'
${answer}
release=
prev=
for a in "$@"; do
  [ "$prev" = --selector ] && release=\${a#app.kubernetes.io/instance=}
  prev=$a
done
case "$1 $2" in
  "get deployments,statefulsets,daemonsets") answer "$d/deployments-$release.json" ${secs(l.getDeployments)} ;;
  "rollout status") answer "$d/rollout.txt" ${secs(l.rolloutStatus)} ;;
  "get pods") answer "$d/pods-$release.txt" ${secs(l.getPods)} ;;
  "create configmap"|"delete configmap") answer "$d/lock.txt" ${secs(l.lock ?? 0)} ;;
  "version --client") exec cat "$d/kubectl-version.json" ;;
  "config view") exec cat "$d/kubeconfig-view.json" ;;
  *) echo "bench kubectl: unexpected: $*" >&2; exit 97 ;;
esac
`,
  );
  chmodSync(helm, 0o755);
  chmodSync(kubectl, 0o755);
  return { dir, helm, kubectl, deploymentsOf };
}

/**
 * The flow of the shell helper this tool replaces (scripts/deploy/rollback.sh): `helm rollback`, then each
 * `kubectl rollout status` one by one, release after release.
 */
export function writeReferenceScript(fakes: BenchFakes, releases: readonly string[], scope: { namespace: string; context: string }): string {
  const path = join(fakes.dir, 'reference-rollback.sh');
  const lines = ['#!/bin/sh', 'set -e'];
  for (const release of releases) {
    lines.push(`"${fakes.helm}" rollback ${release} 2 --namespace ${scope.namespace} --kube-context ${scope.context} --wait --timeout 10m0s >/dev/null`);
    for (const deployment of fakes.deploymentsOf(release)) {
      lines.push(`"${fakes.kubectl}" rollout status deployment/${deployment} --namespace ${scope.namespace} --context ${scope.context} --timeout 10m0s >/dev/null`);
    }
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
  chmodSync(path, 0o755);
  return path;
}
