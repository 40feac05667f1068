import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readActionYaml } from '../support/javascriptAction.js';

const ROOT = resolve(import.meta.dirname, '../..');

interface Step {
  uses?: string;
  with?: Record<string, string>;
}
interface Workflow {
  jobs: Record<string, { needs?: string; environment?: string; steps: Step[] }>;
}

describe('docs/github-action.md', () => {
  const doc = readFileSync(join(ROOT, 'docs/github-action.md'), 'utf8');
  const yaml = doc.split('```yaml\n')[1]?.split('```\n')[0] ?? '';
  const workflow = parse(yaml) as Workflow;
  const ours = (job: string) => workflow.jobs[job]?.steps.filter((step) => step.uses?.startsWith('videokit/videokit-rollback@')) ?? [];

  it('is a valid workflow', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vkr-workflow-')), 'rollback.yml');
    writeFileSync(file, yaml);
    const validator = await execa(join(ROOT, 'node_modules/.bin/action-validator'), [file], { reject: false });
    expect(validator.exitCode, `${validator.stdout}\n${validator.stderr}`).toBe(0);
  });

  it('dry-runs and uploads the plan, then executes that plan behind an Environment approval', () => {
    expect(ours('dry-run')).toHaveLength(1);
    expect(ours('dry-run')[0]?.with).toMatchObject({ mode: 'dry-run', 'plan-out': 'plan.json' });
    expect(workflow.jobs['dry-run']?.steps.some((step) => step.uses?.startsWith('actions/upload-artifact@'))).toBe(true);
    expect(workflow.jobs.execute).toMatchObject({ needs: 'dry-run', environment: 'production' });
    expect(workflow.jobs.execute?.steps.some((step) => step.uses?.startsWith('actions/download-artifact@'))).toBe(true);
    expect(ours('execute')[0]?.with).toMatchObject({ mode: 'execute', plan: 'plan.json' });
    expect(ours('execute')[0]?.with?.releases).toBeUndefined();
  });

  it('passes this action only inputs action.yml declares', () => {
    const declared = Object.keys(readActionYaml().inputs);
    for (const step of [...ours('dry-run'), ...ours('execute')]) {
      for (const name of Object.keys(step.with ?? {})) expect(declared).toContain(name);
    }
  });
});
