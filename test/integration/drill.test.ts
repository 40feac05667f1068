import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFaked } from '../support/inProcessCli.js';
import { CTX, DRILL_ARGS, NS, normaliseTimeouts } from '../support/drillRules.js';
import { createFakeTools, type FakeRule } from '../support/fakeTools.js';
import { section, table } from '../support/markdownTable.js';
import { imageAt, statefulDrillRules } from '../support/statefulDrill.js';
import { readRecord } from '../support/record.js';

function setup(options: Parameters<typeof statefulDrillRules>[0] = {}) {
  const fake = createFakeTools(statefulDrillRules(options));
  const cwd = mkdtempSync(join(tmpdir(), 'vkr-drill-'));
  const run = (args: string[]) => runFaked(fake, args, { cwd, env: { ...fake.env, TARGET_ENV: 'prod-eu-west-1' } });
  const writes = () => fake.calls().filter((c) => c.argv[0] === 'rollback').map((c) => `${c.argv[1]} ${c.argv[2]}`);
  return { fake, cwd, run, writes };
}

const DRILL = [...DRILL_ARGS, '--execute', '--yes', '--drill'];
const transcriptOf = (stderr: string) => /^transcript: (.*)$/m.exec(stderr)?.[1] ?? '';
const reportOf = (stderr: string) => /^report: (.*)$/m.exec(stderr)?.[1] ?? '';
const failAt = (tool: 'helm' | 'kubectl', prefix: string[], stderr: string): FakeRule => ({ tool, prefix, stderr, exitCode: 1 });

describe('--drill', () => {
  it('rolls back, verifies, rolls forward to the revisions before, verifies, and writes the report', async () => {
    const { fake, cwd, run } = setup();
    const result = await run([...DRILL, '--timeout', '10m']);
    expect(result.stderr).not.toMatch(/error/);
    expect(result.exitCode).toBe(0);

    const calls = fake.calls().map((c) => [c.tool, ...normaliseTimeouts(c.argv)]);
    const main = calls.filter((c) => c[1] === 'rollback' || c[1] === 'rollout' || c[2] === 'pods');
    const scope = (tool: string) => (tool === 'helm' ? ['--namespace', NS, '--kube-context', CTX] : ['--namespace', NS, '--context', CTX]);
    const steps = (release: string, revision: number) => [
      ['helm', 'rollback', release, String(revision), ...scope('helm'), '--wait', '--timeout', '<duration>'],
      ['kubectl', 'rollout', 'status', `deployment/${release}`, ...scope('kubectl'), '--timeout', '<duration>'],
      ['kubectl', 'get', 'pods', ...scope('kubectl'), '--selector', `app.kubernetes.io/instance=${release}`, '--output', 'wide', '--request-timeout', '<duration>'],
    ];
    expect(main).toEqual([
      ...steps('videokit-api', 41),
      ...steps('videokit-worker', 17),
      ...steps('videokit-api', 42),
      ...steps('videokit-worker', 18),
    ]);
    // The roll forward starts after the rollback's state was recorded, and is recorded in turn.
    const kinds = calls.map((c) => (c[1] === 'history' ? 'history' : c[1] === 'rollback' ? `rollback ${c[3]}` : null)).filter((k) => k !== null);
    // The rollback re-reads each release just before writing; the roll forward goes to its explicit revision.
    expect(kinds).toEqual(['history', 'history', 'history', 'rollback 41', 'history', 'rollback 17', 'history', 'history', 'rollback 42', 'rollback 18', 'history', 'history']);

    expect(result.stdout).toMatch(/videokit-api: rolled forward from revision 41 to 42, rollouts healthy: back where it was before the drill/);
    expect(result.stdout).toMatch(/videokit-worker: rolled forward from revision 17 to 18, rollouts healthy/);

    // A drill's transcript is JSON Lines by default; the report sits next to it.
    const transcript = transcriptOf(result.stderr);
    expect(transcript).toMatch(new RegExp(`^${join(cwd, 'reports/deploy/videokit-rollback-')}\\d{8}T\\d{6}Z\\.jsonl$`));
    expect(reportOf(result.stderr)).toBe(transcript.replace(/\.jsonl$/, '.md'));
    const md = readFileSync(reportOf(result.stderr), 'utf8');
    expect(md).toMatch(/^# Rollback drill: videokit-api, videokit-worker in videokit \(prod-eu-west-1\)/);
    expect(table(md, 'Before and after').map((row) => row.slice(0, 6))).toEqual([
      ['videokit-api', 'before', '42', '0.42.0', '1.42.0', imageAt('videokit-api', 42)],
      ['videokit-api', 'after rollback', '43 (rollback to 41)', '0.41.0', '1.41.0', imageAt('videokit-api', 41)],
      ['videokit-api', 'after roll forward', '44 (rollback to 42)', '0.42.0', '1.42.0', imageAt('videokit-api', 42)],
      ['videokit-worker', 'before', '18', '0.18.0', '1.18.0', imageAt('videokit-worker', 18)],
      ['videokit-worker', 'after rollback', '19 (rollback to 17)', '0.17.0', '1.17.0', imageAt('videokit-worker', 17)],
      ['videokit-worker', 'after roll forward', '20 (rollback to 18)', '0.18.0', '1.18.0', imageAt('videokit-worker', 18)],
    ]);
    const overview = Object.fromEntries(table(md, 'Overview').map(([key = '', value = '']) => [key, value]));
    expect(overview.Objective).toMatch(/: met \(rollback healthy after [\d.]+ (ms|s); roll forward healthy after [\d.]+ (ms|s)\)$/);
    expect(overview.Outcome).toMatch(/^drilled, exit 0: drill complete/);
    expect(table(md, 'Validation').map((row) => [row[0], row[1], row[2], row[3]])).toEqual([
      ['rollback', 'videokit-api', '42 → 41', 'rolled-back'],
      ['rollback', 'videokit-worker', '18 → 17', 'rolled-back'],
      ['roll forward', 'videokit-api', '41 → 42', 'rolled-forward'],
      ['roll forward', 'videokit-worker', '17 → 18', 'rolled-forward'],
    ]);
    const events = readRecord(transcript);
    expect(events.filter((e) => e.type === 'stage').map((e) => `${e.stage} ${e.status} ${e.budgetMs}`)).toEqual([
      'rollback start 600000',
      'rollback end 600000',
      'forward start 600000',
      'forward end 600000',
    ]);
  });

  it('refuses before any write when a newest revision is not deployed, and will not overwrite an old text log with a view', async () => {
    const { run, writes, cwd } = setup({
      history: {
        'videokit-api': [{ revision: 41, status: 'superseded' }, { revision: 42, status: 'failed' }],
        'videokit-worker': [{ revision: 17, status: 'superseded' }, { revision: 18, status: 'deployed' }],
      },
    });
    const refused = await run(DRILL);
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toMatch(/videokit-api: current revision 42 is failed, not deployed: a drill starts from a healthy state/);
    const preview = await run([...DRILL_ARGS, '--dry-run', '--drill']);
    expect(preview.exitCode).toBe(3);
    // Without --drill the same history is an ordinary rollback target.
    const plain = await run([...DRILL_ARGS, '--dry-run']);
    expect(plain.exitCode).toBe(0);
    expect(writes()).toEqual([]);

    // --transcript drill.log names the text log of drill.jsonl; a live log an earlier version wrote there is kept.
    const oldLog = '2026-11-26T09:00:00.000Z ==== videokit-rollback 0.0.9 execute ====\n';
    writeFileSync(join(cwd, 'drill.log'), oldLog);
    const textTranscript = await run([...DRILL, '--transcript', 'drill.log']);
    expect(textTranscript.exitCode).toBe(2);
    expect(textTranscript.stderr).toMatch(/"?\S*drill\.log"? is a text log written by an earlier version: the record is now \S*drill\.jsonl.*nothing was done/);
    expect(readFileSync(join(cwd, 'drill.log'), 'utf8')).toBe(oldLog);
    expect(existsSync(join(cwd, 'drill.jsonl'))).toBe(false);
    expect(writes()).toEqual([]);
  });

  it('a dry-run with --drill lists both stages\' commands', async () => {
    const { run, writes } = setup();
    const result = await run([...DRILL_ARGS, '--dry-run', '--drill']);
    expect(result.exitCode).toBe(0);
    const listed = result.stdout.split('Commands --execute would run')[1] ?? '';
    expect(listed.match(/^ {2}helm rollback .*$/gm)?.map((line) => line.split(' ').slice(4, 6).join(' '))).toEqual([
      'videokit-api 41',
      'videokit-worker 17',
      'videokit-api 42',
      'videokit-worker 18',
    ]);
    expect(writes()).toEqual([]);
  });

  it('a failed rollback stops the drill, then rolls forward every release it touched (exit 4)', async () => {
    const { run, writes, cwd } = setup({
      overrides: [failAt('helm', ['rollback', 'videokit-worker', '17'], 'Error: timed out waiting for the condition\n')],
    });
    const result = await run([...DRILL, '--transcript', 'drill.jsonl', '--output', 'json']);
    expect(result.exitCode).toBe(4);
    // The worker's rollback failed after it started: it is rolled forward too.
    expect(writes()).toEqual(['videokit-api 41', 'videokit-worker 17', 'videokit-api 42', 'videokit-worker 18']);
    const doc = JSON.parse(result.stdout);
    expect(doc.outcome).toMatchObject({ status: 'rollback-failed', exitCode: 4 });
    expect(doc.releases.map((r: { release: string; result: string }) => `${r.release} ${r.result}`)).toEqual([
      'videokit-api rolled-back',
      'videokit-worker rollback-failed',
    ]);
    expect(doc.forward.map((r: { release: string; result: string }) => `${r.release} ${r.result}`)).toEqual([
      'videokit-api rolled-forward',
      'videokit-worker rolled-forward',
    ]);
    expect(doc.restoreCommands).toEqual([]);
    expect(doc.report).toBe(join(cwd, 'drill.md'));
    const md = readFileSync(join(cwd, 'drill.md'), 'utf8');
    const observations = section(md, 'Observations').join('\n');
    expect(observations).toMatch(/rollback of videokit-worker \(revision 18 to 17\) ended rollback-failed: helm rollback exited 1: Error: timed out waiting for the condition/);
    expect(observations).toContain('videokit-worker was rolled forward to revision 18, the revision it had before the drill.');
    expect(table(md, 'Overview').find((row) => row[0] === 'Objective')?.[1]).toMatch(/not met \(rollback failed after .*; roll forward healthy after/);
  });

  it('a failed roll forward still tries every other release, says where each stands and how to restore it (exit 4)', async () => {
    const { run, writes, cwd } = setup({ forwardFails: { 'videokit-api': 'Error: UPGRADE FAILED: another operation is in progress\n' } });
    const result = await run([...DRILL, '--transcript', 'drill.jsonl']);
    expect(result.exitCode).toBe(4);
    expect(writes()).toEqual(['videokit-api 41', 'videokit-worker 17', 'videokit-api 42', 'videokit-worker 18']);
    expect(result.stdout).toMatch(/videokit-api: roll forward to 42 FAILED: helm rollback exited 1: Error: UPGRADE FAILED.*; it is still on \(or around\) revision 41/);
    expect(result.stdout).toMatch(/videokit-worker: rolled forward from revision 17 to 18/);
    expect(result.stdout).toContain(`To put these releases back where they were before the drill:\n  helm rollback videokit-api 42 --namespace ${NS} --kube-context ${CTX} --wait --timeout 10m0s`);
    expect(result.stderr).toMatch(/error: videokit-api: roll forward: helm rollback exited 1/);
    const events = readRecord(join(cwd, 'drill.jsonl'));
    expect(events.at(-1)).toMatchObject({ type: 'outcome', status: 'forward-failed', exitCode: 4 });
    const md = readFileSync(join(cwd, 'drill.md'), 'utf8');
    // Where each release stands, as re-read after the roll forward.
    expect(table(md, 'Before and after').filter((row) => row[1] === 'after roll forward').map((row) => [row[0], row[2], row[5]])).toEqual([
      ['videokit-api', '43 (rollback to 41)', imageAt('videokit-api', 41)],
      ['videokit-worker', '20 (rollback to 18)', imageAt('videokit-worker', 18)],
    ]);
    expect(section(md, 'Observations').filter((line) => line.includes('Not restored'))).toEqual([
      `- ❌ **Not restored: to put the release back where it was before the run:** \`helm rollback videokit-api 42 --namespace ${NS} --kube-context ${CTX} --wait --timeout 10m0s\``,
    ]);
  });

  it('an unhealthy roll forward exits 5', async () => {
    const { run, cwd } = setup({
      overrides: [
        {
          tool: 'kubectl',
          prefix: ['rollout', 'status', 'deployment/videokit-worker'],
          after: { tool: 'helm', prefix: ['rollback', 'videokit-worker', '18'] },
          stderr: 'error: timed out waiting for the condition\n',
          exitCode: 1,
        },
      ],
    });
    const result = await run([...DRILL, '--transcript', 'drill.jsonl']);
    expect(result.exitCode).toBe(5);
    expect(result.stdout).toMatch(/videokit-worker: rolled forward to 18 but NOT healthy/);
    const md = readFileSync(join(cwd, 'drill.md'), 'utf8');
    expect(table(md, 'Overview').find((row) => row[0] === 'Outcome')?.[1]).toMatch(/^forward-unhealthy, exit 5: videokit-worker: roll forward: rollout status deployment\/videokit-worker exited 1/);
    expect(existsSync(join(cwd, 'drill.md'))).toBe(true);
  });
});
