import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../support/cli.js';
import { runFaked } from '../support/inProcessCli.js';
import { CTX, NS, drillRules, normaliseTimeouts } from '../support/drillRules.js';
import { createFakeTools, type FakeCall, type FakeRule } from '../support/fakeTools.js';
import type { Rev } from '../support/history.js';
import { readRecord } from '../support/record.js';

const RELEASES = ['videokit-api', 'videokit-worker', 'videokit-web'];
const history = (current: number): Rev[] => [
  { revision: current - 1, status: 'superseded' },
  { revision: current, status: 'deployed' },
];
const HISTORY: Record<string, Rev[]> = { 'videokit-api': history(42), 'videokit-worker': history(18), 'videokit-web': history(7) };
const TARGET: Record<string, string> = { 'videokit-api': '41', 'videokit-worker': '17', 'videokit-web': '6' };
const DEPLOYMENTS: Record<string, string[]> = {
  'videokit-api': ['api', 'api-grpc'],
  'videokit-worker': ['worker', 'worker-cron'],
  'videokit-web': ['web', 'web-assets'],
};

function setup(releases: string[], overrides: FakeRule[] = []) {
  const rules = drillRules({
    history: Object.fromEntries(releases.map((r) => [r, HISTORY[r] ?? []])),
    deployments: DEPLOYMENTS,
    overrides,
  });
  const fake = createFakeTools(rules);
  const cwd = mkdtempSync(join(tmpdir(), 'vkr-par-'));
  const args = [...releases.flatMap((r) => ['--release', r]), '--namespace', NS, '--context', CTX, '--execute', '--yes'];
  const run = (extra: string[]) => runFaked(fake, [...args, ...extra], { cwd, env: fake.env });
  // A process per command keeps a release's later steps slower than a failure's report: the only
  // way to hold a release "under way" while another fails, short of timing it.
  const runSubprocess = (extra: string[]) => runBuiltCli([...args, ...extra], { path: [fake.dir], cwd, env: fake.env });
  return { fake, cwd, run, runSubprocess };
}

/** The exact argv (timeouts normalised) each release's execution runs, in the order the shell script ran them. */
function expectedExecution(release: string): string[][] {
  const helmScope = ['--namespace', NS, '--kube-context', CTX];
  const kubectlScope = ['--namespace', NS, '--context', CTX];
  return [
    ['helm', 'rollback', release, TARGET[release] ?? '', ...helmScope, '--wait', '--timeout', '<duration>'],
    ...(DEPLOYMENTS[release] ?? []).map((d) => ['kubectl', 'rollout', 'status', `deployment/${d}`, ...kubectlScope, '--timeout', '<duration>']),
    ['kubectl', 'get', 'pods', ...kubectlScope, '--selector', `app.kubernetes.io/instance=${release}`, '--output', 'wide', '--request-timeout', '<duration>'],
  ];
}

const argvOf = (call: FakeCall) => [call.tool, ...normaliseTimeouts(call.argv)];
const key = (argv: string[]) => argv.join(' ');
/** Planning reads, the reads before the writes, and the release locks around them (asserted on in the first --parallel test). */
const isPlanning = (call: FakeCall) => call.argv[0] === 'history' || call.argv[1] === 'deployments,statefulsets,daemonsets' || call.argv[1] === 'configmap';
const releaseOf = (call: FakeCall) =>
  call.argv[0] === 'rollback' ? call.argv[1] : RELEASES.find((r) => call.argv.some((a) => a === `app.kubernetes.io/instance=${r}` || (DEPLOYMENTS[r] ?? []).some((d) => a === `deployment/${d}`)));

/** Within each release: the rollback first, then its waits (any order), then the Pod listing. */
function expectReleaseOrder(calls: FakeCall[], release: string): void {
  const own = calls.filter((c) => !isPlanning(c) && releaseOf(c) === release).map(argvOf);
  const [rollback, ...rest] = expectedExecution(release);
  expect(own[0]).toEqual(rollback);
  expect(own.at(-1)).toEqual(rest.at(-1));
  expect(own.slice(1, -1).map(key).sort()).toEqual(rest.slice(0, -1).map(key).sort());
}

function transcriptEvents(cwd: string, stderr: string): { type: string; id?: number; command?: string }[] {
  const path = /transcript: (.*)/.exec(stderr)?.[1] ?? join(cwd, 'missing');
  return readRecord(path);
}

describe('rollout waits of one release', () => {
  it('run at the same time, each with the budget left', async () => {
    // deployment/api answers only once deployment/api-grpc's wait has started:
    // waiting one after another would never get there (the fake gives up after 10 s).
    const { fake, run } = setup(['videokit-api'], [
      { tool: 'kubectl', prefix: ['rollout', 'status', 'deployment/api'], awaitCalls: [{ tool: 'kubectl', prefix: ['rollout', 'status', 'deployment/api-grpc'] }], stdout: 'deployment "api" successfully rolled out\n' },
    ]);
    const result = await run(['--output', 'json']);
    expect(result.stderr).not.toMatch(/never saw/);
    expect(result.exitCode).toBe(0);
    const calls = fake.calls();
    expect(calls.filter((c) => !isPlanning(c)).map(argvOf).map(key).sort()).toEqual(expectedExecution('videokit-api').map(key).sort());
    expectReleaseOrder(calls, 'videokit-api');
    for (const wait of calls.filter((c) => c.argv[0] === 'rollout')) expect(wait.argv.at(-1)).toMatch(/^(9m5\ds|10m0s)$/);
  });

  it('one unhealthy Deployment makes the release unhealthy, the others are still waited for', async () => {
    const { fake, run } = setup(['videokit-api', 'videokit-worker'], [
      { tool: 'kubectl', prefix: ['rollout', 'status', 'deployment/api-grpc'], stderr: 'error: deployment "api-grpc" exceeded its progress deadline\n', exitCode: 1 },
    ]);
    const result = await run(['--output', 'json']);
    expect(result.exitCode).toBe(5);
    const doc = JSON.parse(result.stdout);
    expect(doc.releases.map((r: { result: string }) => r.result)).toEqual(['unhealthy', 'not-started']);
    expect(doc.outcome.message).toMatch(/videokit-api: rollout status deployment\/api-grpc exited 1/);
    const executed = fake.calls().filter((c) => !isPlanning(c)).map(argvOf).map(key).sort();
    expect(executed).toEqual(expectedExecution('videokit-api').slice(0, -1).map(key).sort());
  });
});

describe('--parallel', () => {
  it('1 (the default) keeps releases strictly in the order given', async () => {
    const { fake, run } = setup(RELEASES);
    const result = await run([]);
    expect(result.exitCode).toBe(0);
    const executed = fake.calls().filter((c) => !isPlanning(c));
    expect(executed.map(releaseOf)).toEqual(RELEASES.flatMap((r) => expectedExecution(r).map(() => r)));
    for (const release of RELEASES) expectReleaseOrder(executed, release);
    // Each release's lock is taken before its read before the write and released after its Pod listing, before the next release starts.
    const steps = fake.calls().filter((c) => c.argv[1] === 'configmap' || c.argv[0] === 'rollback' || c.argv.includes('--max') && c.argv.includes('1'));
    expect(steps.map((c) => `${c.argv[0]} ${c.argv[c.argv[1] === 'configmap' ? 2 : 1]}`)).toEqual(
      RELEASES.flatMap((r) => [`create videokit-rollback-lock.${r}`, `history ${r}`, `rollback ${r}`, `delete videokit-rollback-lock.${r}`]),
    );
  });

  it('n rolls independent releases back at the same time, and the transcript keeps each command with its id', async () => {
    // videokit-api's rollback answers only once the two others have started theirs.
    const { fake, run, cwd } = setup(RELEASES, [
      {
        tool: 'helm',
        prefix: ['rollback', 'videokit-api'],
        awaitCalls: [{ tool: 'helm', prefix: ['rollback', 'videokit-worker'] }, { tool: 'helm', prefix: ['rollback', 'videokit-web'] }],
        stdout: 'Rollback was a success! Happy Helming!\n',
      },
    ]);
    const result = await run(['--parallel', '3', '--transcript', join(cwd, 'run.jsonl')]);
    expect(result.stderr).not.toMatch(/never saw/);
    expect(result.exitCode).toBe(0);
    const calls = fake.calls();
    expect(calls.filter((c) => !isPlanning(c)).map(argvOf).map(key).sort()).toEqual(RELEASES.flatMap(expectedExecution).map(key).sort());
    for (const release of RELEASES) expectReleaseOrder(calls, release);

    const events = transcriptEvents(cwd, result.stderr);
    const starts = events.filter((e) => e.type === 'command-start');
    const ends = events.filter((e) => e.type === 'command-end');
    // Every call has its command-start, the identity reads that open the record too.
    expect(starts).toHaveLength(calls.length + fake.identityCalls().length);
    expect(new Set(starts.map((e) => e.id)).size).toBe(starts.length);
    expect(ends.map((e) => e.id).sort()).toEqual(starts.map((e) => e.id).sort());
    for (const end of ends) {
      const start = starts.find((s) => s.id === end.id);
      expect(end.command).toBe(start?.command);
      expect(events.indexOf(start as never)).toBeLessThan(events.indexOf(end as never));
    }
    expect(events.at(-1)).toMatchObject({ type: 'outcome', status: 'rolled-back' });
  });

  it('starts no new release after the first failure; releases under way finish', async () => {
    // videokit-api's rollback fails once videokit-worker's has started, so worker is under way
    // and web, third with --parallel 2, is never started.
    const { fake, runSubprocess } = setup(RELEASES, [
      { tool: 'helm', prefix: ['rollback', 'videokit-api'], awaitCalls: [{ tool: 'helm', prefix: ['rollback', 'videokit-worker'] }], stderr: 'Error: an error occurred while rolling back\n', exitCode: 1 },
    ]);
    const result = await runSubprocess(['--parallel', '2', '--output', 'json']);
    expect(result.exitCode).toBe(4);
    const doc = JSON.parse(result.stdout);
    expect(doc.releases.map((r: { release: string; result: string }) => [r.release, r.result])).toEqual([
      ['videokit-api', 'rollback-failed'],
      ['videokit-worker', 'rolled-back'],
      ['videokit-web', 'not-started'],
    ]);
    expect(doc.restoreCommands).toEqual([
      `helm rollback videokit-api 42 --namespace ${NS} --kube-context ${CTX} --wait --timeout 10m0s`,
      `helm rollback videokit-worker 18 --namespace ${NS} --kube-context ${CTX} --wait --timeout 10m0s`,
    ]);
    const executed = fake.calls().filter((c) => !isPlanning(c));
    expect(executed.some((c) => releaseOf(c) === 'videokit-web')).toBe(false);
    expect(executed.filter((c) => releaseOf(c) === 'videokit-api').map(argvOf)).toEqual(expectedExecution('videokit-api').slice(0, 1));
    expectReleaseOrder(executed, 'videokit-worker');
  });

  it('must be a whole number from 1 to 64', async () => {
    const { fake, run } = setup(['videokit-api']);
    for (const value of ['0', '65', 'two', '1.5']) {
      const result = await run(['--parallel', value]);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toContain(`--parallel "${value}" must be a whole number from 1 to 64`);
    }
    expect(fake.calls()).toEqual([]);
  });
});
