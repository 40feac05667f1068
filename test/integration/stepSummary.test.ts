import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFaked } from '../support/inProcessCli.js';
import { CTX, DRILL_ARGS, NS, drillRules } from '../support/drillRules.js';
import { createFakeTools } from '../support/fakeTools.js';

/** Each run gets $GITHUB_STEP_SUMMARY pointed at a file, as the Actions runner does. */
function setup(rules = drillRules()) {
  const fake = createFakeTools(rules);
  const cwd = mkdtempSync(join(tmpdir(), 'vkr-summary-'));
  const summary = join(cwd, 'step-summary.md');
  const run = (args: string[], env: Record<string, string> = {}) =>
    runFaked(fake, args, { cwd, env: { ...fake.env, GITHUB_STEP_SUMMARY: summary, ...env } });
  return { run, summary, cwd, read: () => readFileSync(summary, 'utf8') };
}

describe('$GITHUB_STEP_SUMMARY', () => {
  it('dry-run: outcome, plan table and the commands --execute would run, appended after what was there', async () => {
    const { run, summary, read } = setup();
    writeFileSync(summary, '## an earlier step\n\n');
    const result = await run([...DRILL_ARGS, '--dry-run'], { TARGET_ENV: 'prod-eu-west-1' });
    expect(result.exitCode).toBe(0);
    const text = read();
    expect(text.startsWith('## an earlier step\n\n### ✅ videokit-rollback dry-run: planned (exit 0)\n')).toBe(true);
    expect(text).toContain(`context \`${CTX}\` · namespace \`${NS}\` · TARGET_ENV \`prod-eu-west-1\` · timeout \`10m\``);
    expect(text).toMatch(/^\| videokit-api \| 42 \(deployed\) [^|]+ \| 41 \(superseded\) [^|]+ \| rollback \| deployment\/videokit-api \|$/m);
    expect(text).toMatch(/^\| videokit-worker \| 18 \(deployed\) [^|]+ \| 17 \(superseded\) [^|]+ \| rollback \| deployment\/videokit-worker \|$/m);
    expect(text).toContain(`helm rollback videokit-worker 17 --namespace ${NS} --kube-context ${CTX} --wait --timeout 10m0s\n`);
    expect(text).not.toContain('put the touched releases back');
  });

  it('execute, success: per-release results and the restore commands', async () => {
    const { run, read } = setup();
    const result = await run([...DRILL_ARGS, '--execute', '--yes']);
    expect(result.exitCode).toBe(0);
    const text = read();
    expect(text).toContain('### ✅ videokit-rollback execute: rolled-back (exit 0)');
    expect(text).toContain('| videokit-api | rolled-back | from 42 to 41, rollouts healthy |');
    expect(text).toContain('| videokit-worker | rolled-back | from 18 to 17, rollouts healthy |');
    expect(text).toMatch(/Transcript: `.*reports\/deploy\/videokit-rollback-.*\.jsonl`/);
  });

  it('execute, failed rollback: the failure and the commands that restore what was touched', async () => {
    const { run, read } = setup(
      drillRules({ overrides: [{ tool: 'helm', prefix: ['rollback', 'videokit-worker'], stderr: 'Error: timed out waiting for the condition\n', exitCode: 1 }] }),
    );
    const result = await run([...DRILL_ARGS, '--execute', '--yes']);
    expect(result.exitCode).toBe(4);
    const text = read();
    expect(text).toContain('### ❌ videokit-rollback execute: rollback-failed (exit 4)');
    expect(text).toContain('| videokit-api | rolled-back | from 42 to 41, rollouts healthy |');
    expect(text).toMatch(/^\| videokit-worker \| rollback-failed \| from 18 to 17: .*timed out waiting for the condition.* \|$/m);
    const restore = text.split('To put the touched releases back where they were before this run:')[1] ?? '';
    expect(restore).toContain(`helm rollback videokit-api 42 --namespace ${NS} --kube-context ${CTX} --wait --timeout 10m0s`);
    expect(restore).toContain(`helm rollback videokit-worker 18 --namespace ${NS} --kube-context ${CTX} --wait --timeout 10m0s`);
  });

  it('planning refused: the problem per release, no plan table', async () => {
    const { run, read } = setup(
      drillRules({ overrides: [{ tool: 'helm', prefix: ['history', 'videokit-worker'], stderr: 'Error: release: not found\n', exitCode: 1 }] }),
    );
    const result = await run([...DRILL_ARGS, '--dry-run']);
    expect(result.exitCode).toBe(3);
    const text = read();
    expect(text).toContain('### ❌ videokit-rollback dry-run: plan-refused (exit 3)');
    expect(text).toMatch(/^\| videokit-worker \| .*not found.* \|$/m);
    expect(text).not.toContain('| release | current |');
  });

  it('a usage error is summarised too', async () => {
    const { run, read } = setup();
    const result = await run(['--release', 'videokit-api', '--dry-run']);
    expect(result.exitCode).toBe(2);
    expect(read()).toContain('### ❌ videokit-rollback: refused (exit 2)\n\n--namespace is required\n');
  });

  it('an unwritable summary file is a warning, not a changed outcome', async () => {
    const { run, cwd } = setup();
    const result = await run([...DRILL_ARGS, '--dry-run'], { GITHUB_STEP_SUMMARY: join(cwd, 'missing-dir', 'summary.md') });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/warning: could not append the job summary to GITHUB_STEP_SUMMARY .*missing-dir/);
  });

  it('writes nothing when the variable is unset', async () => {
    const { run, summary } = setup();
    const result = await run([...DRILL_ARGS, '--dry-run'], { GITHUB_STEP_SUMMARY: '' });
    expect(result.exitCode).toBe(0);
    expect(() => readFileSync(summary)).toThrow(/ENOENT/);
  });
});
