import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { MATRIX, requireBinaries } from '../support/binaries.js';
import { runAgainst, scenario } from '../support/sandboxRun.js';

const TARGET_ENV = { TARGET_ENV: 'prod-eu-west-1' };
const WORKER = (context: string) => ['--release', 'videokit-worker', '--namespace', 'videokit', '--context', context];
const KINDS = ['deployment/videokit-worker', 'statefulset/videokit-worker-db', 'daemonset/videokit-worker-agent', 'statefulset/videokit-worker-cache'];
const CACHE_SELECTOR = 'app.kubernetes.io/component=cache,app.kubernetes.io/instance=videokit-worker,app.kubernetes.io/name=videokit-worker';

interface Doc {
  plan: { releases: { deployments: { kind: string; name: string }[]; warnings: string[] }[] };
  plannedCommands: { command: string }[];
  commands: { phase: string; argv: string[]; result: { exitCode: number } }[];
  releases: { result: string }[];
  warnings: string[];
}

/**
 * A release whose chart renders a Deployment, a StatefulSet, a DaemonSet and an OnDelete
 * StatefulSet, rolled back with the real binaries: each is listed by kind and waited for.
 */
describe.each(MATRIX)('every workload kind on the sandbox ($name)', (pair) => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    requireBinaries([pair]);
    sandbox = await startSandbox({ scenario: scenario('workloads') });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('lists the Deployment, StatefulSets and DaemonSet by kind, waits for each, and waits for the OnDelete one\'s Pods with a warning', async () => {
    const run = await runAgainst(sandbox, pair, [...WORKER(sandbox.context), '--execute', '--yes', '--timeout', '1m', '--output', 'json'], TARGET_ENV);
    expect(run.exitCode, run.stderr).toBe(0);
    const doc = JSON.parse(run.stdout) as Doc;
    expect(doc.plan.releases[0]?.deployments.map((w) => `${w.kind.toLowerCase()}/${w.name}`).sort()).toEqual([...KINDS].sort());
    expect(doc.releases.map((r) => r.result)).toEqual(['rolled-back']);

    const waits = doc.commands.filter((c) => c.phase === 'verify' && c.argv[1] !== 'get').map((c) => c.argv.slice(1, 3).join(' '));
    expect(waits.sort()).toEqual(['rollout status', 'rollout status', 'rollout status', 'wait pods'].sort());
    const waited = doc.commands.filter((c) => c.phase === 'verify' && c.argv[1] === 'rollout').map((c) => c.argv[3]);
    expect(waited.sort()).toEqual(KINDS.slice(0, 3).sort());
    const podWait = doc.commands.find((c) => c.argv[1] === 'wait');
    expect(podWait?.argv).toContain(CACHE_SELECTOR);
    expect(doc.commands.filter((c) => c.phase === 'verify').every((c) => c.result.exitCode === 0)).toBe(true);

    const warning = 'statefulset/videokit-worker-cache uses updateStrategy OnDelete: kubectl rollout status cannot report on it';
    expect(doc.warnings.some((w) => w.startsWith(warning))).toBe(true);
    expect(run.stderr).toContain(warning);

    expect(sandbox.releaseHistory('videokit-worker').at(-1)).toMatchObject({ revision: 19, status: 'deployed', description: 'Rollback to 17' });
    const pods = sandbox.pods('videokit-worker');
    // The rolling kinds run 17's images; the OnDelete StatefulSet's Pod keeps the one it had.
    for (const name of ['videokit-worker-db-0', 'videokit-worker-db-1']) expect(pods.find((p) => p.name === name)).toMatchObject({ image: 'registry.example/videokit-worker-db:1.17.0', ready: true });
    expect(pods.filter((p) => p.name.startsWith('videokit-worker-agent-'))).toMatchObject([{ image: 'registry.example/videokit-worker-agent:1.17.0', ready: true }]);
    expect(pods.find((p) => p.name === 'videokit-worker-cache-0')?.image).not.toBe('registry.example/videokit-worker-cache:1.17.0');
    expect(sandbox.errors()).toEqual([]);
  });
});
