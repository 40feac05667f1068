import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { verifyTranscript } from '../../src/record/verify.js';
import { checkEvent } from '../../src/record/schemaCheck.js';
import { describe, expect, it } from 'vitest';
import { outcomeStatus } from '../../src/domain/vocabulary.js';
import { FLAG_INPUTS, LIST_INPUTS, OWN_INPUTS, VALUE_INPUTS } from '../../src/action/inputs.js';
import { CTX, NS, drillRules } from '../support/drillRules.js';
import { createFakeTools } from '../support/fakeTools.js';
import { readActionYaml, runJavaScriptAction } from '../support/javascriptAction.js';

/**
 * The action (dist/action.js) as the runner runs it (test/support/javascriptAction.ts):
 * inputs as INPUT_* variables, $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY files, fake helm/kubectl.
 */
const ROOT = resolve(import.meta.dirname, '../..');

async function runAction(inputs: Record<string, string>, rules = drillRules()) {
  const fake = createFakeTools(rules);
  const workspace = mkdtempSync(join(tmpdir(), 'vkr-action-'));
  const env: Record<string, string> = { PATH: `${fake.dir}:/usr/bin:/bin`, HOME: workspace, ...fake.env };
  const run = await runJavaScriptAction(inputs, { cwd: workspace, env });
  return { result: { exitCode: run.exitCode, stdout: run.log }, fake, workspace, outputs: () => run.outputs, summary: () => run.summary };
}

const DRILL = { releases: 'videokit-api\nvideokit-worker\n', namespace: NS, context: CTX, 'transcript-dir': 'reports/deploy' };

describe('GitHub Action step', () => {
  it('dry-run: only reads, outputs the outcome, the transcript and the JSON result', async () => {
    const { result, fake, workspace, outputs, summary } = await runAction({ ...DRILL, mode: 'dry-run' });
    expect(result.exitCode).toBe(0);
    expect(fake.calls().map((c) => `${c.tool} ${c.argv[0]}`).sort()).toEqual(['helm history', 'helm history', 'kubectl get', 'kubectl get']);
    const out = outputs();
    expect(out).toMatchObject({ 'exit-code': '0', outcome: 'planned' });
    // The record, verified; its text log beside it.
    expect(out.transcript).toMatch(new RegExp(`^${join(workspace, 'reports/deploy/videokit-rollback-dry-run-')}\\d{8}T\\d{6}Z\\.jsonl$`));
    expect(verifyTranscript(readFileSync(out.transcript ?? ''), checkEvent).status).toBe('sealed');
    expect(out.log).toBe(out.transcript?.replace(/\.jsonl$/, '.log'));
    expect(out.result).toBe(out.transcript?.replace(/\.jsonl$/, '.json'));
    expect(readFileSync(out.log ?? '', 'utf8')).toMatch(/outcome: planned exit=0/);
    expect(JSON.parse(readFileSync(out.result ?? '', 'utf8')).plan.releases).toHaveLength(2);
    expect(summary()).toContain('### ✅ videokit-rollback dry-run: planned (exit 0)');
    expect(result.stdout).toContain(`videokit-rollback --release videokit-api --release videokit-worker --namespace ${NS} --context ${CTX} --dry-run`);
  });

  it('execute: runs with --yes (no prompt), and a failed rollback fails the step with its exit code', async () => {
    const { result, fake, outputs } = await runAction(
      { ...DRILL, releases: 'videokit-api, videokit-worker', mode: 'execute', timeout: '5m' },
      drillRules({ overrides: [{ tool: 'helm', prefix: ['rollback', 'videokit-worker'], stderr: 'Error: timed out waiting for the condition\n', exitCode: 1 }] }),
    );
    expect(result.exitCode).toBe(4);
    expect(fake.calls().filter((c) => c.argv[0] === 'rollback').map((c) => c.argv.slice(0, 3))).toEqual([
      ['rollback', 'videokit-api', '41'],
      ['rollback', 'videokit-worker', '17'],
    ]);
    expect(outputs()).toMatchObject({ 'exit-code': '4', outcome: 'rollback-failed' });
    expect(result.stdout).toContain('--timeout 5m --execute --yes');
  });

  it('a bad mode is refused before the CLI runs, as an annotation with exit code 2', async () => {
    const { result, fake, outputs } = await runAction({ ...DRILL, mode: 'yes-please' });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain('::error title=videokit-rollback::input mode must be dry-run or execute, not "yes-please"');
    expect(outputs()).toEqual({ 'exit-code': '2', outcome: 'refused', transcript: '', log: '', result: '', report: '', plan: '' });
    expect(fake.calls()).toEqual([]);
  });

  it('a usage error from the CLI: outcome refused, no transcript to point at', async () => {
    const { result, outputs } = await runAction({ ...DRILL, releases: 'Not_A_Release', mode: 'dry-run' });
    expect(result.exitCode).toBe(2);
    expect(outputs()).toMatchObject({ 'exit-code': '2', outcome: 'refused', transcript: '' });
  });
});

describe('action.yml', () => {
  const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
  const action = readActionYaml();

  it('is a JavaScript action on node24 running the bundle, so the tool gets the runner\'s signals', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/action.js' });
    // No step, no shell: nothing an input could be pasted into.
    expect(yml.split('\nruns:\n')[1]).not.toContain('${{');
    expect(yml).not.toMatch(/npm (ci|install)/);
  });

  it('declares an input for each run option the action passes on, and no other', () => {
    const passed = [...OWN_INPUTS, ...[...VALUE_INPUTS, ...LIST_INPUTS, ...FLAG_INPUTS].map(([name]) => name)];
    expect(Object.keys(action.inputs).sort()).toEqual([...passed].sort());
    for (const [name, flag] of [...VALUE_INPUTS, ...LIST_INPUTS, ...FLAG_INPUTS]) expect(flag).toBe(`--${name}`);
    for (const [name] of FLAG_INPUTS) expect(action.inputs[name]?.default).toBe('false');
  });

  it('declares every output the action writes, and names every outcome', () => {
    expect(Object.keys(action.outputs)).toEqual(['exit-code', 'outcome', 'transcript', 'log', 'result', 'report', 'plan']);
    // docs/github-action.md's table is generated from these descriptions.
    for (const status of outcomeStatus.options) expect(action.outputs.outcome?.description).toMatch(new RegExp(`[ (]${status}[,)]`));
  });
});
