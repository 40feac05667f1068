import { rfc3339 } from '../kube/json.js';
import { R } from '../kube/resources.js';
import type { Condition, ContainerStatus, Pod, PodStatus } from '../kube/types.js';
import type { Objects } from '../store/objects.js';

export const NODE_NAME = 'sandbox-node-1';
const HOST_IP = '172.18.0.2';

export interface KubeletOptions {
  /** How long a started container takes to pass its readiness probe (read per pod). */
  readyDelayMs(): number;
  /** Pods whose containers crash forever (Running, never Ready, CrashLoopBackOff). */
  neverReady(pod: Pod): boolean;
}

type Phase = 'starting' | 'ready' | 'crashing';

function condition(type: string, ok: boolean, now: string, reason?: string, message?: string): Condition {
  return { type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: now, ...(reason ? { reason, message } : {}) };
}

/**
 * Plays the node: every pod is scheduled on one node with an IP at once, starts Running but not
 * Ready, then becomes Ready after `readyDelayMs`, or, for never-ready images, stays unready in
 * CrashLoopBackOff (the STATUS `kubectl get pods` shows for a crashing container).
 */
export class Kubelet {
  /** While seeding, pods come up in their final state at once (the cluster was already running). */
  instant = false;
  /** Each pod still waiting for its ready delay, with what ends the wait. */
  private readonly timers = new Map<NodeJS.Timeout, () => void>();
  private nextIp = 10;

  constructor(
    private readonly objects: Objects,
    private readonly opts: KubeletOptions,
  ) {}

  /** The status a pod is created with. */
  initialStatus(pod: Pod): PodStatus {
    const n = this.nextIp++;
    const ip = `10.244.${Math.floor(n / 250)}.${(n % 250) + 1}`;
    const now = rfc3339();
    const base: PodStatus = { phase: 'Running', hostIP: HOST_IP, podIP: ip, podIPs: [{ ip }], startTime: now };
    return this.statusFor(pod, base, this.instant ? (this.opts.neverReady(pod) ? 'crashing' : 'ready') : 'starting');
  }

  private statusFor(pod: Pod, base: PodStatus, phase: Phase): PodStatus {
    const now = rfc3339();
    const names = pod.spec.containers.map((c) => c.name);
    const ready = phase === 'ready';
    const containerStatuses = pod.spec.containers.map((c, i): ContainerStatus => ({
      name: c.name,
      image: c.image ?? '',
      imageID: `${(c.image ?? '').split(':')[0]}@sha256:${'0'.repeat(63)}${i}`,
      containerID: `containerd://${pod.metadata.name.replace(/[^a-z0-9]/g, '')}${i}`,
      ready,
      started: phase !== 'crashing',
      restartCount: phase === 'crashing' ? 3 : 0,
      state: (phase === 'crashing'
        ? { waiting: { reason: 'CrashLoopBackOff', message: `back-off 40s restarting failed container=${c.name} pod=${pod.metadata.name}` } }
        : { running: { startedAt: base.startTime ?? now } }) as ContainerStatus['state'],
      lastState: (phase === 'crashing' ? { terminated: { exitCode: 1, reason: 'Error', startedAt: now, finishedAt: now } } : {}) as ContainerStatus['lastState'],
    }));
    const unready = `containers with unready status: [${names.join(' ')}]`;
    return {
      ...base,
      phase: 'Running',
      conditions: [
        condition('PodReadyToStartContainers', true, now),
        condition('Initialized', true, now),
        ready ? condition('Ready', true, now) : condition('Ready', false, now, 'ContainersNotReady', unready),
        ready ? condition('ContainersReady', true, now) : condition('ContainersReady', false, now, 'ContainersNotReady', unready),
        condition('PodScheduled', true, now),
      ],
      containerStatuses,
    };
  }

  /** Called for every new pod: schedules its readiness (or its crash loop). */
  track(pod: Pod): void {
    if (this.instant) return;
    const settle = (): void => {
      clearTimeout(t);
      this.timers.delete(t);
      const cur = this.objects.find(R.pods, pod.metadata.namespace, pod.metadata.name) as Pod | undefined;
      if (!cur?.status) return;
      const next = this.statusFor(cur, cur.status, this.opts.neverReady(cur) ? 'crashing' : 'ready');
      this.objects.update(R.pods, cur.metadata.namespace, cur.metadata.name, { ...cur, status: next }, { subresource: 'status' });
    };
    const t = setTimeout(settle, this.opts.readyDelayMs());
    this.timers.set(t, settle);
  }

  /** Ends every pending ready delay now: a test decides the moment, not a timer. */
  settleNow(): void {
    for (const settle of [...this.timers.values()]) settle();
  }

  stop(): void {
    for (const t of this.timers.keys()) clearTimeout(t);
    this.timers.clear();
  }
}

export function isPodReady(pod: Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
