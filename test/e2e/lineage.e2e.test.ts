import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { fileSha256 } from '../../src/app/identity.js';
import { MATRIX, requireBinaries, type ToolPair } from '../support/binaries.js';
import { DRILL_ARGS } from '../support/drillRules.js';
import { helmHistoryOf, runAgainst, runBuiltAgainst, scenario } from '../support/sandboxRun.js';
import { table } from '../support/markdownTable.js';
import { readRecord } from '../support/record.js';

const TARGET_ENV = { TARGET_ENV: 'prod-eu-west-1' };
const API_ONLY = ['--release', 'videokit-api', '--namespace', 'videokit'];

/**
 * The target rule, re-runs, racing runs and the TARGET_ENV guard, with the real binaries.
 * One sandbox per pair, used in order: each test starts where the previous one left it.
 */
describe.each(MATRIX)('re-runs, races and the guard on the sandbox ($name)', (pair) => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    requireBinaries([pair]);
    sandbox = await startSandbox({ scenario: scenario('drill') });
  });
  afterAll(async () => {
    await sandbox?.stop();
  });

  it('TARGET_ENV=prod-eu-west-1 refuses prod-eu-west-10-admin with no request; admits prod-eu-west-1 and prod-eu-west-1-admin', async () => {
    const before = sandbox.requests().length;
    for (const mode of ['--dry-run', '--execute']) {
      const refused = await runAgainst(sandbox, pair, [...API_ONLY, '--context', 'prod-eu-west-10-admin', mode, '--yes'], TARGET_ENV);
      expect(refused.exitCode).toBe(2);
      expect(refused.stderr).toContain('context "prod-eu-west-10-admin" does not belong to TARGET_ENV "prod-eu-west-1"');
    }
    expect(sandbox.requests()).toHaveLength(before);
    // The guard admits it; the sandbox's kubeconfig has no such context, so planning (not the guard) says so.
    const bare = await runAgainst(sandbox, pair, [...API_ONLY, '--context', 'prod-eu-west-1', '--dry-run'], TARGET_ENV);
    expect(bare.stderr).not.toContain('does not belong');
    expect(bare.exitCode).toBe(3);
    const admin = await runAgainst(sandbox, pair, [...API_ONLY, '--context', sandbox.context, '--dry-run'], TARGET_ENV);
    expect(admin.exitCode, admin.stderr).toBe(0);
  });

  it('an execute rolls both releases back and keeps a full record; the same execute again is already rolled back: exit 0, no write', async () => {
    // The built bundle, in a process of its own, as the package ships it; the other runs here are in process.
    const first = await runBuiltAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes', '--timeout', '1m'], TARGET_ENV);
    expect(first.stderr).not.toMatch(/error:/);
    expect(first.exitCode, first.stderr).toBe(0);
    const api = await helmHistoryOf(sandbox, pair, 'videokit-api');
    expect(api.at(-1)).toMatchObject({ revision: 43, status: 'deployed', description: 'Rollback to 41' });
    expect(api.find((r) => r.revision === 42)?.status).toBe('superseded');
    expect((await helmHistoryOf(sandbox, pair, 'videokit-worker')).at(-1)).toMatchObject({ revision: 19, status: 'deployed', description: 'Rollback to 17' });
    const apiPods = sandbox.pods('videokit-api').filter((p) => p.ready);
    expect(apiPods.length).toBeGreaterThan(0);
    expect(new Set(apiPods.map((p) => p.image))).toEqual(new Set(['registry.example/videokit-api:1.41.0']));
    expect(new Set(sandbox.pods('videokit-worker').filter((p) => p.ready).map((p) => p.image))).toEqual(new Set(['registry.example/videokit-worker:1.17.0']));

    // A plain --execute keeps its record, JSON Lines, and renders its text log beside it; verify and report read the record.
    const record = /^transcript: (.*)$/m.exec(first.stderr)?.[1] ?? '';
    expect(record).toMatch(/\/reports\/deploy\/videokit-rollback-\d{8}T\d{6}Z\.jsonl$/);
    expect(/^log: (.*)$/m.exec(first.stderr)?.[1]).toBe(record.replace(/\.jsonl$/, '.log'));
    expect(readFileSync(record.replace(/\.jsonl$/, '.log'), 'utf8')).toMatch(/^# videokit-rollback-\S+\.jsonl: a videokit-rollback record as text/);
    await expectFullRecord(sandbox, pair, readRecord(record));
    // The record verifies, with the digest the run printed; an edited operator name does not.
    const digest = /seal digest \(sha256\): ([0-9a-f]{64})/.exec(first.stderr)?.[1] ?? 'none printed';
    const verified = await runAgainst(sandbox, pair, ['verify', record, '--digest', digest]);
    expect(verified.exitCode, verified.stdout).toBe(0);
    const lines = readFileSync(record, 'utf8').split('\n');
    writeFileSync(`${sandbox.dir}/edited.jsonl`, [lines[0]?.replace(/"user":"[^"]*"/, '"user":"someone-else"'), ...lines.slice(1)].join('\n'));
    const edited = await runAgainst(sandbox, pair, ['verify', 'edited.jsonl']);
    expect(edited.exitCode).toBe(7);
    expect(edited.stdout).toContain('TAMPERED: line 1 was altered');
    const report = await runAgainst(sandbox, pair, ['report', record]);
    expect(report.exitCode, report.stderr).toBe(0);
    expect(Object.fromEntries(table(report.stdout, 'Verification'))).toMatchObject({ Verdict: expect.stringMatching(/intact and sealed/) });
    // Every figure from the binaries' own output: charts and images from helm, Pods from kubectl.
    const image = (release: string, tag: string) => `registry.example/${release}:${tag}`;
    expect(table(report.stdout, 'Before and after')).toEqual([
      ['videokit-api', 'before', '42', '0.42.0', '1.42.0', image('videokit-api', '1.42.0'), 'deployed, pods 2/2 ready'],
      ['videokit-api', 'after rollback', '43 (rollback to 41)', '0.41.0', '1.41.0', image('videokit-api', '1.41.0'), 'deployed, pods 2/2 ready'],
      ['videokit-worker', 'before', '18', '0.18.0', '1.18.0', image('videokit-worker', '1.18.0'), 'deployed, pods 1/1 ready'],
      ['videokit-worker', 'after rollback', '19 (rollback to 17)', '0.17.0', '1.17.0', image('videokit-worker', '1.17.0'), 'deployed, pods 1/1 ready'],
    ]);
    const validation = table(report.stdout, 'Validation');
    expect(validation.map((row) => [row[0], row[1], row[3]])).toEqual([
      ['rollback', 'videokit-api', 'rolled-back'],
      ['rollback', 'videokit-worker', 'rolled-back'],
    ]);
    for (const row of validation) expect(row[5]).toMatch(/^(\d+)\/\1 \(\1 Running\)$/);
    const writes = sandbox.mutatingRequests().length;

    const again = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes', '--timeout', '1m'], TARGET_ENV);
    expect(again.exitCode, again.stderr).toBe(0);
    expect(sandbox.mutatingRequests()).toHaveLength(writes);
    expect(again.stdout).toContain('videokit-api: already rolled back: revision 43 (deployed) is a rollback to 41; nothing to do');
    expect(again.stdout).toContain(`to go further back (to revision 40): videokit-rollback --execute --context ${sandbox.context} --namespace videokit --release videokit-api --to-revision videokit-api=40`);
    expect(again.stdout).toContain('videokit-worker: already rolled back: revision 19 (deployed) is a rollback to 17');
    expect(sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ revision: 43, description: 'Rollback to 41' });
  });

  it('the same re-run as a dry-run plans no write', async () => {
    const dry = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--dry-run', '--output', 'json'], TARGET_ENV);
    expect(dry.exitCode, dry.stderr).toBe(0);
    const doc = JSON.parse(dry.stdout);
    expect(doc.plan.releases.map((r: { action: string }) => r.action)).toEqual(['already-rolled-back', 'already-rolled-back']);
    expect(doc.plannedCommands).toEqual([]);
  });

  it('two executes of one release started together: exactly one new revision; the other run changes nothing', async () => {
    const pinned = [...API_ONLY, '--context', sandbox.context, '--to-revision', 'videokit-api=40', '--execute', '--yes', '--timeout', '1m'];
    const before = sandbox.mutatingRequests().length;
    const runs = await Promise.all([runBuiltAgainst(sandbox, pair, pinned, TARGET_ENV), runBuiltAgainst(sandbox, pair, pinned, TARGET_ENV)]);
    const history = await helmHistoryOf(sandbox, pair, 'videokit-api');
    expect(history.at(-1)).toMatchObject({ revision: 44, status: 'deployed', description: 'Rollback to 40' });
    expect(runs.map((r) => r.exitCode).sort()).toEqual([0, 3]);
    const loser = runs.find((r) => r.exitCode === 3);
    // Refused at the lock, lost at the read before the write (the winner had released it), or planned after the winner had finished.
    expect(loser?.stderr).toMatch(/another run holds the lock on videokit-api|another run rolled videokit-api back|--to-revision 40 carries the same content as the current revision 44/);
    expect(loser?.stdout ?? '').not.toContain('To put the touched releases back');
    // Every lock taken (201) was released (200); a refused take is a 409.
    const lockRequests = sandbox.mutatingRequests().slice(before).filter((r) => r.path === '/api/v1/namespaces/videokit/configmaps' || r.path.endsWith('/configmaps/videokit-rollback-lock.videokit-api'));
    const taken = lockRequests.filter((r) => r.method === 'POST' && r.status === 201).length;
    expect(taken).toBeGreaterThan(0);
    expect(lockRequests.filter((r) => r.method === 'DELETE' && r.status === 200)).toHaveLength(taken);
    expect(lockRequests.filter((r) => r.method === 'POST' && r.status !== 201).map((r) => r.status)).toEqual(taken === 2 ? [] : [409]);
  });
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type RecordEvent = any;

/** The record of the drill's execute: each command in its place, streamed output, the outcome, and who, what and where. */
async function expectFullRecord(sandbox: Sandbox, pair: ToolPair, events: RecordEvent[]): Promise<void> {
  const started = events.filter((e) => e.type === 'command-start' && e.phase !== 'identity').map((e) => e.argv.slice(1, 3).join(' '));
  // Each helm rollback right after one read of that release's newest revision (compare before write),
  // inside the release's lock.
  expect(started.slice(4, 16)).toEqual([
    'create configmap', 'history videokit-api', 'rollback videokit-api', 'rollout status', 'get pods', 'delete configmap',
    'create configmap', 'history videokit-worker', 'rollback videokit-worker', 'rollout status', 'get pods', 'delete configmap',
  ]);
  // Then where each release stands, re-read for the report.
  expect(started.slice(16).sort()).toEqual(['get deployments,statefulsets,daemonsets', 'get deployments,statefulsets,daemonsets', 'history videokit-api', 'history videokit-worker']);
  // Output is streamed: a command's stdout is the text of its command-output events.
  const stdoutOf = (id: number) =>
    events.filter((e) => e.type === 'command-output' && e.id === id && e.stream === 'stdout').map((e) => e.text).join('');
  const podListings = events.filter((e) => e.type === 'command-start').map((e) => stdoutOf(e.id)).filter((out) => /READY\s+STATUS/.test(out));
  expect(podListings).toHaveLength(2);
  expect(podListings[0]).toMatch(/videokit-api-\S+\s+1\/1\s+Running/);
  expect(events.at(-1)).toMatchObject({ type: 'outcome', status: 'rolled-back', exitCode: 0 });
  // Who, what and where: the binaries' own versions and hashes, the sandbox's API server.
  const version = (path: string, tool: string) => new RegExp(`${tool}-(v[\\d.]+)/`).exec(path)?.[1];
  expect(events[0]).toMatchObject({
    type: 'run-start',
    identity: {
      helm: { path: pair.helm, version: version(pair.helm, 'helm'), sha256: await fileSha256(pair.helm), problem: null },
      kubectl: { path: pair.kubectl, version: version(pair.kubectl, 'kubectl'), sha256: await fileSha256(pair.kubectl), problem: null },
      kubeconfig: { paths: [sandbox.env.KUBECONFIG], context: sandbox.context, server: sandbox.url, problem: null },
    },
    targetEnv: 'prod-eu-west-1',
    targetEnvSource: { source: 'env', from: '$TARGET_ENV' },
    ci: null,
  });
}
