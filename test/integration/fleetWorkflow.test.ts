import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readActionYaml } from '../support/javascriptAction.js';

const ROOT = resolve(import.meta.dirname, '../..');
const VALIDATOR = join(ROOT, 'node_modules/.bin/action-validator');

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string;
  if?: string;
  environment?: string;
  concurrency?: { group: string; 'cancel-in-progress': boolean };
  strategy: { 'fail-fast': boolean; 'max-parallel'?: unknown; matrix: { target: string } };
  steps: Step[];
}
interface Workflow {
  on: { workflow_call: { inputs: Record<string, { default?: unknown; type: string }>; secrets: Record<string, unknown> } };
  jobs: { plan: Job; execute: Job };
}

async function validate(text: string): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), 'vkr-fleet-')), 'workflow.yml');
  writeFileSync(file, text);
  const result = await execa(VALIDATOR, [file], { reject: false });
  expect(result.exitCode, `${result.stdout}\n${result.stderr}`).toBe(0);
}

describe('.github/workflows/rollback.yml (the fleet rollback)', () => {
  const text = readFileSync(join(ROOT, '.github/workflows/rollback.yml'), 'utf8');
  const workflow = parse(text) as Workflow;
  const { plan, execute } = workflow.jobs;

  it('is a valid reusable workflow', async () => {
    await validate(text);
    expect(Object.keys(workflow.on)).toEqual(['workflow_call']);
  });

  it('plans every context, then executes each behind its own Environment, one region at a time by default', () => {
    for (const job of [plan, execute]) {
      expect(job.strategy.matrix.target).toBe('${{ fromJSON(inputs.targets) }}');
      expect(job.strategy['fail-fast']).toBe(false);
    }
    expect(plan.environment).toBeUndefined();
    expect(execute).toMatchObject({ needs: 'plan', if: 'inputs.execute', environment: '${{ matrix.target.environment }}' });
    expect(execute.strategy['max-parallel']).toBe('${{ inputs.max-parallel }}');
    expect(workflow.on.workflow_call.inputs['max-parallel']).toMatchObject({ type: 'number', default: 1 });
    expect(execute.concurrency).toEqual({ group: 'videokit-rollback-${{ matrix.target.context }}', 'cancel-in-progress': false });
  });

  it('gives each run its context and TARGET_ENV, and executes the plan made for that context', () => {
    const action = (job: Job) => job.steps.find((step) => step.uses?.startsWith('videokit/videokit-rollback@'))?.with ?? {};
    expect(action(plan)).toMatchObject({ context: '${{ matrix.target.context }}', 'target-env': '${{ matrix.target.target-env }}', mode: 'dry-run', 'plan-out': 'plan.json' });
    expect(action(execute)).toMatchObject({ context: '${{ matrix.target.context }}', 'target-env': '${{ matrix.target.target-env }}', mode: 'execute', plan: 'plan.json' });
    const declared = Object.keys(readActionYaml().inputs);
    for (const name of [...Object.keys(action(plan)), ...Object.keys(action(execute))]) expect(declared).toContain(name);
    const upload = plan.steps.find((step) => step.uses?.startsWith('actions/upload-artifact@'))?.with?.name;
    const download = execute.steps.find((step) => step.uses?.startsWith('actions/download-artifact@'))?.with?.name;
    expect(download).toBe(upload);
    expect(upload).toBe('plan-${{ matrix.target.context }}');
  });

  it('pastes no input or secret into a run script: they arrive through env', () => {
    const scripts = [...plan.steps, ...execute.steps].filter((step) => step.run !== undefined);
    expect(scripts.length).toBeGreaterThan(1);
    for (const step of scripts) expect(step.run).not.toContain('${{');
  });

  it('docs/fleets.md calls it with a valid workflow', async () => {
    const doc = readFileSync(join(ROOT, 'docs/fleets.md'), 'utf8');
    const caller = doc.split('```yaml\n')[1]?.split('```\n')[0] ?? '';
    await validate(caller);
    const job = (parse(caller) as { jobs: { rollback: { uses: string; with: Record<string, unknown>; secrets: Record<string, string> } } }).jobs.rollback;
    expect(job.uses).toMatch(/^videokit\/videokit-rollback\/\.github\/workflows\/rollback\.yml@/);
    for (const name of Object.keys(job.with)) expect(Object.keys(workflow.on.workflow_call.inputs)).toContain(name);
    expect(Object.keys(job.secrets)).toEqual(Object.keys(workflow.on.workflow_call.secrets));
    const targets = JSON.parse(String(job.with.targets)) as { context: string; 'target-env': string; environment: string }[];
    for (const target of targets) expect(target.context.startsWith(target['target-env'])).toBe(true);
  });
});
