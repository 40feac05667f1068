import { execa } from 'execa';
import { resolve } from 'node:path';
import { describe, it, type TestContext } from 'vitest';
import { MATRIX, requireBinaries, type ToolPair } from '../support/binaries.js';
import { startSandbox, type Sandbox } from './index.js';
import { GO_CLIENT_ENV } from '../support/sandboxRun.js';

/**
 * The sandbox against the real binaries of each matrix pair. Every test starts its own sandbox
 * (fresh port, fresh kubeconfig and client homes), so the tests run concurrently: most of their
 * time is spent in the clients' waits and timeouts. They fail, never skip, when the binaries are
 * missing.
 */

const scenario = (name: string): string => resolve(import.meta.dirname, 'scenarios', `${name}.json`);

interface Run {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  ms: number;
}

function clients(pair: ToolPair, sb: Sandbox) {
  const run = async (bin: string, args: string[]): Promise<Run> => {
    const t0 = Date.now();
    const r = await execa(bin, args, { env: { PATH: '/usr/bin:/bin', ...sb.env, ...GO_CLIENT_ENV }, extendEnv: false, reject: false, timeout: 90_000, stdin: 'ignore' });
    return { exitCode: r.exitCode, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
  };
  return {
    helm: (...args: string[]) => run(pair.helm, [...args, '--kube-context', sb.context, '--namespace', sb.namespace]),
    kubectl: (...args: string[]) => run(pair.kubectl, [...args, '--context', sb.context, '--namespace', sb.namespace]),
  };
}

interface HistoryEntry {
  revision: number;
  status: string;
  chart: string;
  app_version: string;
  description: string;
}

/**
 * A sandbox for the running test, stopped when it finishes; errors inside the sandbox fail the
 * test. Concurrent tests must use their own context's hook: the global `onTestFinished` would
 * attach to whichever test vitest considers current and stop the sandbox under another test.
 */
async function start(ctx: TestContext, pair: ToolPair, name: string): Promise<{ sb: Sandbox } & ReturnType<typeof clients>> {
  requireBinaries([pair]); // each test fails (not skips) with "run `npm run tools`"
  const sb = await startSandbox({ scenario: scenario(name) });
  ctx.onTestFinished(async () => {
    const errors = sb.errors();
    await sb.stop();
    if (errors.length > 0) throw new Error(`sandbox errors: ${errors.map(String).join('; ')}`);
  });
  return { sb, ...clients(pair, sb) };
}

describe.concurrent.each(MATRIX)('sandbox with $name', { timeout: 60_000 }, (pair) => {
  it('answers the read commands and records no mutating request', async (ctx) => {
    const { expect } = ctx;
    const { sb, helm, kubectl } = await start(ctx, pair, 'drill');

    const history = await helm('history', 'videokit-api', '-o', 'json', '--max', '256');
    expect(history.stderr).toBe('');
    expect(history.exitCode).toBe(0);
    const entries = JSON.parse(history.stdout) as HistoryEntry[];
    expect(entries.map((e) => [e.revision, e.status, e.chart, e.app_version])).toEqual([
      [40, 'superseded', 'videokit-api-0.40.0', '1.40.0'],
      [41, 'superseded', 'videokit-api-0.41.0', '1.41.0'],
      [42, 'deployed', 'videokit-api-0.42.0', '1.42.0'],
    ]);

    const deployments = await kubectl('get', 'deployments', '--selector', 'app.kubernetes.io/instance=videokit-worker', '-o', 'json');
    expect(deployments.exitCode).toBe(0);
    const list = JSON.parse(deployments.stdout) as { items: { metadata: { name: string }; spec: { template: { spec: { containers: { image: string }[] } } } }[] };
    expect(list.items.map((d) => [d.metadata.name, d.spec.template.spec.containers[0]?.image])).toEqual([['videokit-worker', 'registry.example/videokit-worker:1.18.0']]);

    const pods = await kubectl('get', 'pods', '--selector', 'app.kubernetes.io/instance=videokit-api', '-o', 'wide');
    expect(pods.exitCode).toBe(0);
    const [header, ...rows] = pods.stdout.trim().split('\n');
    expect(header?.split(/\s{2,}/)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES']);
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toMatch(/^videokit-api-\w+-\w{5}\s+1\/1\s+Running\s+0\s+\d+s\s+10\.244\.\d+\.\d+\s+sandbox-node-1\s+<none>\s+<none>$/);

    const status = await kubectl('rollout', 'status', 'deployment/videokit-api', '--timeout', '30s');
    expect(status).toMatchObject({ exitCode: 0, stdout: 'deployment "videokit-api" successfully rolled out' });

    const manifest = await helm('get', 'manifest', 'videokit-api', '--revision', '41');
    expect(manifest.exitCode).toBe(0);
    expect(manifest.stdout).toContain('image: registry.example/videokit-api:1.41.0');

    const releases = await helm('list', '--short');
    expect(releases.stdout.split('\n').sort()).toEqual(['videokit-api', 'videokit-worker']);

    const context = await execa(pair.kubectl, ['config', 'current-context'], { env: sb.env, extendEnv: false, reject: false });
    expect(context.stdout).toBe('prod-eu-west-1-admin');

    expect(sb.requests().length).toBeGreaterThan(0);
    expect(sb.mutatingRequests()).toEqual([]);
  });

  it('rolls back with --wait: a new deployed revision "Rollback to N" and pods on the old image', async (ctx) => {
    const { expect } = ctx;
    const { sb, helm, kubectl } = await start(ctx, pair, 'drill');

    const api = await helm('rollback', 'videokit-api', '41', '--wait', '--timeout', '60s');
    expect(api.stderr).toBe('');
    expect(api.stdout).toContain('Rollback was a success! Happy Helming!');
    expect(api.exitCode).toBe(0);
    const worker = await helm('rollback', 'videokit-worker', '17', '--wait', '--timeout', '60s');
    expect(worker.exitCode).toBe(0);

    const history = JSON.parse((await helm('history', 'videokit-api', '-o', 'json', '--max', '256')).stdout) as HistoryEntry[];
    expect(history.slice(-2).map((e) => [e.revision, e.status, e.description, e.app_version])).toEqual([
      [42, 'superseded', 'Upgrade complete', '1.42.0'],
      [43, 'deployed', 'Rollback to 41', '1.41.0'],
    ]);
    expect(sb.releaseHistory('videokit-worker').at(-1)).toEqual({ revision: 19, status: 'deployed', description: 'Rollback to 17' });

    for (const name of ['videokit-api', 'videokit-worker']) {
      expect((await kubectl('rollout', 'status', `deployment/${name}`, '--timeout', '30s')).exitCode).toBe(0);
    }
    const pods = sb.pods('videokit-api');
    expect(pods).toHaveLength(2);
    expect(pods.every((p) => p.ready && p.image === 'registry.example/videokit-api:1.41.0')).toBe(true);
    expect(sb.pods('videokit-worker').map((p) => p.image)).toEqual(['registry.example/videokit-worker:1.17.0']);

    const mutations = sb.mutatingRequests().map((r) => `${r.method} ${r.path}`);
    expect(mutations).toContain('PATCH /apis/apps/v1/namespaces/videokit/deployments/videokit-api');
    expect(mutations).toContain('POST /api/v1/namespaces/videokit/secrets');
  });

  it('reports a rollout in progress, then done', async (ctx) => {
    const { expect } = ctx;
    const { sb, helm, kubectl } = await start(ctx, pair, 'drill');
    // The new pods stay unready until kubectl is watching, however slowly it starts.
    sb.faults.setPodReadyDelayMs(60_000);

    // helm 4 without --wait does not wait at all; helm 3 neither.
    expect((await helm('rollback', 'videokit-api', '41')).exitCode).toBe(0);
    const watching = kubectl('rollout', 'status', 'deployment/videokit-api', '--timeout', '30s');
    await expect.poll(() => sb.requests().some((r) => r.query.includes('watch=true') && r.userAgent.startsWith('kubectl')), { timeout: 20_000, interval: 50 }).toBe(true);
    sb.faults.setPodReadyDelayMs(100); // for pods the rollout creates from here on
    sb.faults.settlePodsNow();
    const status = await watching;
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toMatch(/^Waiting for deployment "videokit-api" rollout to finish: /);
    expect(status.stdout).toMatch(/deployment "videokit-api" successfully rolled out$/);
  });

  it('fails helm within its --timeout and times out rollout status when the target never becomes ready', async (ctx) => {
    const { expect } = ctx;
    const { sb, helm, kubectl } = await start(ctx, pair, 'never-ready');

    const rollback = await helm('rollback', 'videokit-api', '41', '--wait', '--timeout', '4s');
    expect(rollback.stderr).toMatch(/^Error: /);
    expect(rollback.exitCode).toBe(1);
    expect(rollback.ms).toBeGreaterThanOrEqual(3_500);
    expect(rollback.ms).toBeLessThan(15_000);
    expect(sb.releaseHistory('videokit-api').at(-1)).toMatchObject({ revision: 43, status: 'failed' });

    const status = await kubectl('rollout', 'status', 'deployment/videokit-api', '--timeout', '2s');
    expect(status.exitCode).toBe(1);
    expect(status.stderr).toContain('timed out waiting for the condition');

    const pods = await kubectl('get', 'pods', '--selector', 'app.kubernetes.io/instance=videokit-api', '-o', 'wide');
    expect(pods.stdout).toMatch(/videokit-api-\w+-\w{5}\s+0\/1\s+CrashLoopBackOff\s+3 \(\d+s ago\)/);
    // The old pods keep serving: the rollout never finished.
    expect(sb.pods('videokit-api').filter((p) => p.ready).map((p) => p.image)).toEqual(Array(2).fill('registry.example/videokit-api:1.42.0'));
  });

  it('reports an exceeded progress deadline', async (ctx) => {
    const { expect } = ctx;
    const { helm, kubectl } = await start(ctx, pair, 'progress-deadline');

    expect((await helm('rollback', 'videokit-api', '41')).exitCode).toBe(0);
    const status = await kubectl('rollout', 'status', 'deployment/videokit-api', '--timeout', '20s');
    expect(status.exitCode).toBe(1);
    expect(status.stderr).toContain('error: deployment "videokit-api" exceeded its progress deadline');
    expect(status.ms).toBeLessThan(10_000);
  });

  it('seeds failed, pending-rollback and single-revision histories', async (ctx) => {
    const { expect } = ctx;
    const histories: Record<string, [number, string][]> = {};
    for (const [name, release] of [
      ['failed-between', 'videokit-api'],
      ['pending-rollback', 'videokit-api'],
      ['single-revision', 'videokit-worker'],
    ] as const) {
      const { helm, kubectl } = await start(ctx, pair, name);
      const h = await helm('history', release, '-o', 'json', '--max', '256');
      expect(h.exitCode).toBe(0);
      histories[name] = (JSON.parse(h.stdout) as HistoryEntry[]).map((e) => [e.revision, e.status]);
      expect((await kubectl('rollout', 'status', `deployment/${release}`, '--timeout', '10s')).exitCode).toBe(0);
    }
    expect(histories).toEqual({
      'failed-between': [
        [40, 'superseded'],
        [41, 'failed'],
        [42, 'deployed'],
      ],
      'pending-rollback': [
        [41, 'superseded'],
        [42, 'deployed'],
        [43, 'pending-rollback'],
      ],
      'single-revision': [[1, 'deployed']],
    });
  });

  it('applies the fault switches: latency, a stuck Deployment, the API going away', async (ctx) => {
    const { expect } = ctx;
    const { sb, helm, kubectl } = await start(ctx, pair, 'drill');

    sb.faults.setLatencyMs(150);
    const slow = await helm('history', 'videokit-api', '-o', 'json');
    expect(slow.exitCode).toBe(0);
    expect(slow.ms).toBeGreaterThanOrEqual(300); // /version then the Secret list, at least
    sb.faults.setLatencyMs(0);

    sb.faults.stickDeployment('videokit-worker');
    const stuck = await helm('rollback', 'videokit-worker', '17', '--wait', '--timeout', '3s');
    expect(stuck.exitCode).toBe(1);

    // Going away mid-watch: kubectl keeps retrying until its own --timeout.
    const watching = kubectl('rollout', 'status', 'deployment/videokit-worker', '--timeout', '4s');
    await expect.poll(() => sb.requests().some((r) => r.query.includes('watch=true') && r.userAgent.startsWith('kubectl')), { timeout: 3_000, interval: 50 }).toBe(true);
    sb.faults.goAway();
    const gone = await watching;
    expect(gone.exitCode).toBe(1);
    expect(gone.stderr).toContain('timed out waiting for the condition');
    const unreachable = await helm('history', 'videokit-api', '-o', 'json');
    expect(unreachable.exitCode).toBe(1);
    expect(unreachable.stderr).toMatch(/cluster unreachable.*connection refused/);

    await sb.faults.comeBack();
    expect((await helm('history', 'videokit-api', '-o', 'json')).exitCode).toBe(0);
  });
});
