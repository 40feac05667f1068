import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFaked } from '../support/inProcessCli.js';
import { CTX, DRILL_ARGS, NS } from '../support/drillRules.js';
import { createFakeTools, type FakeRule } from '../support/fakeTools.js';
import { section, table } from '../support/markdownTable.js';
import { imageAt, statefulDrillRules } from '../support/statefulDrill.js';

/** Runs the built CLI against the stateful fakes, all runs appending to one .jsonl transcript. */
function setup(options: Parameters<typeof statefulDrillRules>[0] = {}) {
  const fake = createFakeTools(statefulDrillRules(options));
  const cwd = mkdtempSync(join(tmpdir(), 'vkr-report-'));
  const transcript = join(cwd, 'audit', 'run.jsonl');
  const run = (args: string[]) =>
    runFaked(fake, args, { cwd, env: { ...fake.env, TARGET_ENV: 'prod-eu-west-1' } });
  const report = async (...extra: string[]) => {
    const result = await run(['report', transcript, ...extra]);
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    return result.stdout;
  };
  return { fake, cwd, transcript, run, report };
}

const failAt = (tool: 'helm' | 'kubectl', prefix: string[], stderr: string): FakeRule => ({ tool, prefix, stderr, exitCode: 1 });

describe('report of a successful rollback, preceded by its dry-run', () => {
  it('shows the before/after state, the procedure with the dry-run, the validation and the objective met', async () => {
    const { run, report, transcript } = setup();
    expect((await run([...DRILL_ARGS, '--dry-run', '--timeout', '5m', '--transcript', transcript])).exitCode).toBe(0);
    expect((await run([...DRILL_ARGS, '--execute', '--yes', '--timeout', '5m', '--transcript', transcript])).exitCode).toBe(0);
    const md = await report();

    expect(table(md, 'Before and after')).toEqual([
      ['videokit-api', 'before', '42', '0.42.0', '1.42.0', imageAt('videokit-api', 42), 'deployed, pods 2/2 ready'],
      ['videokit-api', 'after rollback', '43 (rollback to 41)', '0.41.0', '1.41.0', imageAt('videokit-api', 41), 'deployed, pods 2/2 ready'],
      ['videokit-worker', 'before', '18', '0.18.0', '1.18.0', imageAt('videokit-worker', 18), 'deployed, pods 2/2 ready'],
      ['videokit-worker', 'after rollback', '19 (rollback to 17)', '0.17.0', '1.17.0', imageAt('videokit-worker', 17), 'deployed, pods 2/2 ready'],
    ]);

    const overview = Object.fromEntries(table(md, 'Overview').map(([key = '', value = '']) => [key, value]));
    expect(overview).toMatchObject({
      TARGET_ENV: 'prod-eu-west-1',
      Context: CTX,
      Namespace: NS,
      Releases: 'videokit-api, videokit-worker',
      Kind: 'rollback',
    });
    expect(overview.Objective).toMatch(/^healthy within 5m \(--timeout\): met \(rollback healthy after [\d.]+ (ms|s)\)$/);
    expect(overview.Outcome).toBe('rolled-back, exit 0: every planned release rolled back and healthy');
    expect(overview.Window).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC – \d\d:\d\d:\d\d UTC \(/);

    // The dry-run that preceded it, with the write commands it listed.
    const dryRun = section(md, 'Dry-run beforehand').join('\n');
    expect(dryRun).toMatch(/ran 7 read command\(s\) \(outcome: planned\) and listed 12 command\(s\) for --execute, 6 of them writes/);
    expect(dryRun).toMatch(/1\. `kubectl create configmap videokit-rollback-lock\.videokit-api --namespace videokit --context prod-eu-west-1-admin --from-literal release=videokit-api /);
    expect(dryRun).toContain(`2. \`helm history videokit-api --namespace ${NS} --kube-context ${CTX} --output json --max 1\``);
    expect(dryRun).toContain(`3. \`helm rollback videokit-api 41 --namespace ${NS} --kube-context ${CTX} --wait --timeout 5m0s\``);

    // Every command of the execution, in order, with its exit code.
    const procedure = table(md, 'Execution');
    expect(procedure.map((row) => [row[0], row[2], row[3], row[5]])).toEqual(
      [
        // The identity reads of run-start (versions, kubeconfig), then the planning reads.
        ...[1, 2, 3].map((id) => [String(id), 'identity', 'read', '0']),
        ...[4, 5, 6, 7].map((id) => [String(id), 'plan', 'read', '0']),
        // The release's lock, then the read just before each write, belong to the rollback phase; the unlock too.
        ['8', 'rollback', 'write', '0'],
        ['9', 'rollback', 'read', '0'],
        ['10', 'rollback', 'write', '0'],
        ['11', 'verify', 'read', '0'],
        ['12', 'verify', 'read', '0'],
        ['13', 'rollback', 'write', '0'],
        ['14', 'rollback', 'write', '0'],
        ['15', 'rollback', 'read', '0'],
        ['16', 'rollback', 'write', '0'],
        ['17', 'verify', 'read', '0'],
        ['18', 'verify', 'read', '0'],
        ['19', 'rollback', 'write', '0'],
        ...[20, 21, 22, 23].map((id) => [String(id), 'state', 'read', '0']),
      ],
    );
    expect(procedure[7]?.[4]).toMatch(new RegExp(`^kubectl create configmap videokit-rollback-lock\\.videokit-api --namespace ${NS} --context ${CTX} --from-literal release=videokit-api `));
    expect(procedure[12]?.[4]).toBe(`kubectl delete configmap videokit-rollback-lock.videokit-api --namespace ${NS} --context ${CTX} --ignore-not-found --request-timeout 30s`);
    expect(procedure[9]?.[4]).toMatch(new RegExp(`^helm rollback videokit-api 41 --namespace ${NS} --kube-context ${CTX} --wait --timeout 4m5\\ds$`));
    for (const row of procedure) expect(row[6]).toMatch(/^[\d.]+ (ms|s)$/);

    expect(table(md, 'Validation').map((row) => [row[0], row[1], row[2], row[3], row[5], row[6]])).toEqual([
      ['rollback', 'videokit-api', '42 → 41', 'rolled-back', '1/1 (1 Running)', '0'],
      ['rollback', 'videokit-worker', '18 → 17', 'rolled-back', '1/1 (1 Running)', '0'],
    ]);
    const observations = section(md, 'Observations').filter((line) => line.startsWith('- '));
    expect(observations).toEqual([
      `- To undo this rollback later (back to the revision before the run): \`helm rollback videokit-api 42 --namespace ${NS} --kube-context ${CTX} --wait --timeout 5m0s\``,
      `- To undo this rollback later (back to the revision before the run): \`helm rollback videokit-worker 18 --namespace ${NS} --kube-context ${CTX} --wait --timeout 5m0s\``,
    ]);
  });
});

describe('report of a run with a skipped release and a passed-over revision', () => {
  it('says which release was skipped and which revision was passed over, and why', async () => {
    const { run, report, transcript } = setup({
      history: {
        'videokit-api': [
          { revision: 40, status: 'superseded' },
          { revision: 41, status: 'failed' },
          { revision: 42, status: 'deployed' },
        ],
        'videokit-worker': [{ revision: 1, status: 'deployed' }],
      },
    });
    const result = await run([...DRILL_ARGS, '--execute', '--yes', '--transcript', transcript]);
    expect(result.exitCode).toBe(0);
    const md = await report();
    const rows = table(md, 'Before and after');
    // The skipped release was never touched: it has no row after the rollback.
    expect(rows.map((row) => row.slice(0, 2))).toEqual([
      ['videokit-api', 'before'],
      ['videokit-api', 'after rollback'],
      ['videokit-worker', 'before'],
    ]);
    expect(rows[2]?.slice(2, 5)).toEqual(['1', '0.1.0', '1.1.0']);
    const observations = section(md, 'Observations').join('\n');
    expect(observations).toContain('- videokit-worker was skipped: only revision 1 exists: nothing to go back to.');
    expect(observations).toMatch(/- videokit-api: revision 41 \(failed\) was passed over: /);
    expect(table(md, 'Validation').map((row) => [row[1], row[2], row[3]])).toEqual([['videokit-api', '42 → 40', 'rolled-back']]);
  });
});

describe('report of a failed run', () => {
  it('shows the failure, the objective missed and the commands that restore each touched release', async () => {
    const { run, report, transcript } = setup({
      overrides: [failAt('kubectl', ['rollout', 'status', 'deployment/videokit-worker'], 'error: deployment "videokit-worker" exceeded its progress deadline\n')],
    });
    const result = await run([...DRILL_ARGS, '--execute', '--yes', '--transcript', transcript]);
    expect(result.exitCode).toBe(5);
    const md = await report();
    const overview = Object.fromEntries(table(md, 'Overview').map(([key = '', value = '']) => [key, value]));
    expect(overview.Objective).toMatch(/: not met \(rollback failed after /);
    expect(overview.Outcome).toMatch(/^unhealthy, exit 5: videokit-worker: rollout status deployment\/videokit-worker exited 1/);
    expect(table(md, 'Validation').map((row) => [row[1], (row[3] ?? '').split(':')[0], (row[4] ?? '').startsWith('not healthy')])).toEqual([
      ['videokit-api', 'rolled-back', false],
      ['videokit-worker', 'unhealthy', true],
    ]);
    const failedCommand = table(md, 'Execution').find((row) => row[4]?.startsWith('kubectl rollout status deployment/videokit-worker'));
    expect(failedCommand?.[5]).toBe('1');
    const observations = section(md, 'Observations').join('\n');
    expect(observations).toMatch(/rollback of videokit-worker \(revision 18 to 17\) ended unhealthy: rollout status deployment\/videokit-worker exited 1: error: deployment "videokit-worker" exceeded its progress deadline/);
    for (const [release, revision] of [['videokit-api', 42], ['videokit-worker', 18]] as const) {
      expect(observations).toContain(`\`helm rollback ${release} ${revision} --namespace ${NS} --kube-context ${CTX} --wait --timeout 10m0s\``);
    }
  });

  it('a refused plan: no state after, the reasons from the outcome', async () => {
    const { run, report, transcript } = setup({
      overrides: [{ tool: 'helm', prefix: ['history', 'videokit-worker'], stderr: 'Error: release: not found\n', exitCode: 1 }],
    });
    expect((await run([...DRILL_ARGS, '--execute', '--yes', '--transcript', transcript])).exitCode).toBe(3);
    const md = await report();
    expect(table(md, 'Before and after').map((row) => [row[0], row[1], row[2]])).toEqual([
      ['videokit-api', 'before', '42'],
      ['videokit-worker', 'before', '–'],
    ]);
    expect(section(md, 'Observations').join('\n')).toContain('- ❌ **videokit-worker: release not found in namespace videokit (context prod-eu-west-1-admin)**');
    expect(section(md, 'Validation').join('\n')).toContain('No release reached verification.');
  });
});

describe('the report command', () => {
  it('writes HTML to --output (format from the extension): one self-contained file', async () => {
    const { run, transcript, cwd } = setup();
    await run([...DRILL_ARGS, '--execute', '--yes', '--transcript', transcript]);
    const result = await run(['report', transcript, '--output', 'out/report.html']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`report: ${join(cwd, 'out/report.html')}`);
    const html = readFileSync(join(cwd, 'out/report.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    expect(html).toContain('<style>');
    expect(html).toContain('@media print');
    expect(html).toContain(`<td><code>${imageAt('videokit-api', 41)}</code></td>`);
    expect(html.match(/<h2>/g)).toHaveLength(7);
    expect(html).toMatch(/<h2>Verification<\/h2>\n<table class="kv">\n {2}<tr><th scope="row">Record<\/th><td><code>run.jsonl<\/code><\/td><\/tr>\n {2}<tr><th scope="row">Verdict<\/th><td><span class="ok">intact and sealed \(\d+ lines, 1 run\)<\/span>/);
  });

  it('--format wins over the extension; --run picks a run; the dry-run alone is reported as such', async () => {
    const { run, transcript } = setup();
    await run([...DRILL_ARGS, '--dry-run', '--transcript', transcript]);
    await run([...DRILL_ARGS, '--execute', '--yes', '--transcript', transcript]);
    const md = await run(['report', transcript, '--format', 'md', '--run', '1']);
    expect(md.stdout).toMatch(/^# Dry-run: videokit-api, videokit-worker in videokit \(prod-eu-west-1\)/);
    expect(md.stdout).toContain('not measured: nothing was executed');
    expect(md.stdout).toContain('(run 1 of 2)');
  });

  it('exit 2 for a file it cannot read; exit 7, with only the verdict rendered, for one that does not verify', async () => {
    const { run, cwd } = setup();
    const missing = await run(['report', 'missing.jsonl']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/^videokit-rollback report: error: cannot read the transcript missing.jsonl: ENOENT/);
    const cases: [string, string, string][] = [
      ['text.log', '2026-11-26T09:00:00.000Z ==== videokit-rollback 0.1.0 execute ====\n', 'line 1 is not JSON'],
      ['unchained.jsonl', '{"type":"run-start","time":"x"}\n', 'line 1 has seq undefined where 0 belongs'],
    ];
    for (const [name, content, why] of cases) {
      writeFileSync(join(cwd, name), content);
      for (const format of ['md', 'html', 'text']) {
        const result = await run(['report', name, '--format', format]);
        expect({ name, format, exitCode: result.exitCode }).toEqual({ name, format, exitCode: 7 });
        expect(result.stdout).toContain(`TAMPERED at line 1: ${why}`);
        expect(result.stdout).not.toContain('Overview');
        expect(result.stderr.split('\n')[0]).toBe(`videokit-rollback report: error: "${name}" does not verify: ${why}${why.includes('seq') ? ': a line before it was deleted or inserted, or lines were moved' : ''}; only the verdict was rendered`);
        expect(result.stderr).not.toMatch(/\n\s+at /);
      }
    }
    const help = await run(['report', '--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/Usage: videokit-rollback report \[options\] <transcript>/);
    const unknown = await run(['report', 'x.jsonl', '--bogus']);
    expect(unknown.exitCode).toBe(2);
  });
});
