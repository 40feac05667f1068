import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startControllers } from './controllers/index.js';
import { isPodReady } from './controllers/kubelet.js';
import { controllerOf } from './controllers/owners.js';
import { readReleaseSecret } from './helm/release.js';
import { ApiServer, type RequestLogEntry } from './http/server.js';
import { createDefaulter } from './kube/defaults.js';
import { R } from './kube/resources.js';
import type { Pod } from './kube/types.js';
import { writeClientHome } from './kubeconfig.js';
import { loadScenario, type Scenario } from './scenario.js';
import { seed } from './seed.js';
import { Objects } from './store/objects.js';
import { Store } from './store/store.js';

export type { RequestLogEntry } from './http/server.js';
export type { Scenario, ResolvedScenario } from './scenario.js';

export interface SandboxOptions {
  /** A scenario object, or the path of a scenario JSON file. */
  scenario: Scenario | string;
  /**
   * Work dir for the kubeconfig and the clients' homes. Default: a fresh temporary directory,
   * removed by `stop()`; a directory given here is left in place.
   */
  dir?: string;
  /** Called as each request is answered (the CLI's --log-requests prints them). */
  onRequest?: (entry: RequestLogEntry) => void;
}

export interface Faults {
  /** Delays every response (after the request body is read). */
  setLatencyMs(ms: number): void;
  /** Closes the listener and every connection: clients see refused/reset connections. */
  goAway(): void;
  /** Listens again on the same port. */
  comeBack(): Promise<void>;
  /** New pods of this Deployment never become Ready, so its rollout never completes. */
  stickDeployment(name: string): void;
  /** Overrides the scenario's pod ready delay for pods created from now on. */
  setPodReadyDelayMs(ms: number): void;
  /** Pods still waiting for their ready delay become Ready (or crash, if never-ready) now. */
  settlePodsNow(): void;
}

export interface ReleaseRevision {
  revision: number;
  status: string;
  description: string;
}

export interface PodSummary {
  name: string;
  image: string;
  ready: boolean;
}

export interface Sandbox {
  url: string;
  kubeconfigPath: string;
  context: string;
  namespace: string;
  /** KUBECONFIG, HOME and helm's homes, all inside `dir`: pass them to child processes. */
  env: Record<string, string>;
  dir: string;
  requests(): RequestLogEntry[];
  /** POST, PUT, PATCH and DELETE requests. */
  mutatingRequests(): RequestLogEntry[];
  faults: Faults;
  /** The stored helm revisions of a release, ascending, read from its Secrets. */
  releaseHistory(release: string, namespace?: string): ReleaseRevision[];
  /** Pods labelled `app.kubernetes.io/instance=<release>`. */
  pods(release: string, namespace?: string): PodSummary[];
  /** Errors thrown inside the sandbox (controllers, handlers): a test can assert there were none. */
  errors(): unknown[];
  stop(): Promise<void>;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function startSandbox(opts: SandboxOptions): Promise<Sandbox> {
  const scenario = loadScenario(opts.scenario);
  const dir = resolve(opts.dir ?? mkdtempSync(join(tmpdir(), 'vkr-sandbox-')));
  const namespace = scenario.namespaces[0]!;
  const errors: unknown[] = [];
  const onError = (err: unknown): void => {
    errors.push(err);
  };

  const objects = new Objects(new Store(), createDefaulter());
  const stuck = new Set<string>();
  let readyDelayMs = scenario.podReadyDelayMs;
  /** The Deployment a pod belongs to, through its ReplicaSet. */
  const deploymentOf = (pod: Pod): string | undefined => {
    const rsRef = controllerOf(pod);
    const rs = rsRef && objects.find(R.replicasets, pod.metadata.namespace, rsRef.name);
    return rs ? controllerOf(rs)?.name : undefined;
  };
  const controllers = startControllers(
    objects,
    {
      readyDelayMs: () => readyDelayMs,
      neverReady: (pod) =>
        pod.spec.containers.some((c) => scenario.neverReadyImages.some((s) => (c.image ?? '').includes(s))) || stuck.has(deploymentOf(pod) ?? ''),
    },
    onError,
  );
  seed(objects, controllers, scenario);

  let latency = 0;
  const server = new ApiServer({ objects, latencyMs: () => latency, onError, ...(opts.onRequest ? { onRequest: opts.onRequest } : {}) });
  await server.listen();
  const home = writeClientHome(dir, server.url, scenario.context, namespace);

  return {
    url: server.url,
    kubeconfigPath: home.kubeconfigPath,
    context: scenario.context,
    namespace,
    env: home.env,
    dir,
    requests: () => server.log.map((e) => ({ ...e })),
    mutatingRequests: () => server.log.filter((e) => MUTATING.has(e.method)).map((e) => ({ ...e })),
    faults: {
      setLatencyMs: (ms) => {
        latency = ms;
      },
      goAway: () => void server.goAway(),
      comeBack: () => server.comeBack(),
      stickDeployment: (name) => {
        stuck.add(name);
      },
      setPodReadyDelayMs: (ms) => {
        readyDelayMs = ms;
      },
      settlePodsNow: () => controllers.kubelet.settleNow(),
    },
    releaseHistory: (release, ns = namespace) =>
      objects
        .list(R.secrets, ns, { labelSelector: [{ key: 'owner', op: 'eq', value: 'helm' }, { key: 'name', op: 'eq', value: release }] })
        .flatMap((s) => readReleaseSecret(s) ?? [])
        .map(({ revision, status, description }) => ({ revision, status, description }))
        .sort((a, b) => a.revision - b.revision),
    pods: (release, ns = namespace) =>
      (objects.list(R.pods, ns, { labelSelector: [{ key: 'app.kubernetes.io/instance', op: 'eq', value: release }] }) as Pod[]).map((p) => ({
        name: p.metadata.name,
        image: p.spec.containers[0]?.image ?? '',
        ready: isPodReady(p),
      })),
    errors: () => [...errors],
    async stop() {
      controllers.stop();
      await server.stop();
      if (opts.dir === undefined) rmSync(dir, { recursive: true, force: true });
    },
  };
}
