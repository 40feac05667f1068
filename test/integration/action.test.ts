import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CTX, NS, drillRules } from '../support/drillRules.js';
import { createFakeTools } from '../support/fakeTools.js';

/**
 * The action's run step (dist/action.js) as action.yml runs it: inputs as VKR_INPUT_*
 * variables, $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY pointing at files, fake helm/kubectl.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const ACTION = join(ROOT, 'dist/action.js');

function outputs(file: string): Record<string, string> {
  return Object.fromEntries(readFileSync(file, 'utf8').trim().split('\n').map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
}

async function runAction(inputs: Record<string, string>, rules = drillRules()) {
  const fake = createFakeTools(rules);
  const workspace = mkdtempSync(join(tmpdir(), 'vkr-action-'));
  const githubOutput = join(workspace, 'github-output');
  const summary = join(workspace, 'step-summary.md');
  writeFileSync(githubOutput, '');
  const env: Record<string, string> = {
    PATH: `${fake.dir}:/usr/bin:/bin`,
    HOME: workspace,
    GITHUB_OUTPUT: githubOutput,
    GITHUB_STEP_SUMMARY: summary,
    ...fake.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[`VKR_INPUT_${name.toUpperCase().replace(/-/g, '_')}`] = value;
  const result = await execa(process.execPath, [ACTION], { cwd: workspace, env, extendEnv: false, reject: false, stdin: 'ignore' });
  return { result, fake, workspace, outputs: () => outputs(githubOutput), summary: () => readFileSync(summary, 'utf8') };
}

const DRILL = { releases: 'videokit-api\nvideokit-worker\n', namespace: NS, context: CTX, 'transcript-dir': 'reports/deploy' };

describe('GitHub Action step', () => {
  it('dry-run: only reads, outputs the outcome, the transcript and the JSON result', async () => {
    const { result, fake, workspace, outputs, summary } = await runAction({ ...DRILL, mode: 'dry-run' });
    expect(result.exitCode).toBe(0);
    expect(fake.calls().map((c) => `${c.tool} ${c.argv[0]}`).sort()).toEqual(['helm history', 'helm history', 'kubectl get', 'kubectl get']);
    const out = outputs();
    expect(out).toMatchObject({ 'exit-code': '0', outcome: 'planned' });
    expect(out.transcript).toMatch(new RegExp(`^${join(workspace, 'reports/deploy/videokit-rollback-dry-run-')}\\d{8}T\\d{6}Z\\.log$`));
    expect(out.result).toBe(out.transcript?.replace(/\.log$/, '.json'));
    expect(readFileSync(out.transcript ?? '', 'utf8')).toMatch(/outcome: planned exit=0/);
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
    expect(outputs()).toEqual({ 'exit-code': '2', outcome: 'refused', transcript: '', result: '' });
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
  const inputNames = [...(yml.split('\noutputs:')[0] ?? '').matchAll(/^ {2}([a-z-]+):$/gm)].map((m) => m[1] ?? '');

  it('hands every input to the script through the environment, never into the shell text', () => {
    expect(inputNames).toEqual(['releases', 'namespace', 'context', 'target-env', 'mode', 'timeout', 'plan', 'plan-out', 'transcript-dir']);
    for (const name of inputNames) {
      expect(yml).toContain(`VKR_INPUT_${name.toUpperCase().replace(/-/g, '_')}: \${{ inputs.${name} }}`);
    }
    const steps = (yml.split('\nruns:\n')[1] ?? '').split('\n');
    expect(steps.filter((line) => line.includes('${{') && !/^\s+VKR_INPUT_[A-Z_]+: /.test(line))).toEqual([]);
  });
});

describe('the workflow example of docs/github-action.md', () => {
  it('is a valid workflow that uses this action for dry-run and execute', async () => {
    const page = readFileSync(join(ROOT, 'docs/github-action.md'), 'utf8');
    const example = page.split('```yaml\n')[1]?.split('```\n')[0] ?? '';
    expect(example).toContain('uses: videokit/videokit-rollback@');
    const file = join(mkdtempSync(join(tmpdir(), 'vkr-workflow-')), 'rollback.yml');
    writeFileSync(file, example);
    const validator = await execa(join(ROOT, 'node_modules/.bin/action-validator'), [file], { reject: false });
    expect(validator.exitCode, `${validator.stdout}\n${validator.stderr}`).toBe(0);
  });
});
