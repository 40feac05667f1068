import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { parse } from 'yaml';

/**
 * Runs this repository's action.yml the way the GitHub runner runs a composite action,
 * as far as our action uses it: each `run` step through `bash --noprofile --norc -eo
 * pipefail` (GitHub's bash template) with $GITHUB_ACTION_PATH, $GITHUB_OUTPUT and
 * $GITHUB_STEP_SUMMARY set, `${{ inputs.* }}` in step env replaced (with input defaults),
 * and the action's outputs read back through `${{ steps.<id>.outputs.* }}`.
 * Anything else in action.yml makes it throw, so the action cannot outgrow what is tested.
 */
export const ACTION_ROOT = resolve(import.meta.dirname, '../..');

interface ActionYaml {
  inputs: Record<string, { default?: string; required?: boolean }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: { id?: string; shell: string; run: string; env?: Record<string, string> }[] };
}

export interface ActionRun {
  exitCode: number;
  log: string;
  outputs: Record<string, string>;
  summary: string;
}

function readOutputs(file: string): Record<string, string> {
  const text = readFileSync(file, 'utf8');
  return Object.fromEntries(text.split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
}

export async function runCompositeAction(
  inputs: Record<string, string>,
  options: { cwd: string; env: Record<string, string> },
): Promise<ActionRun> {
  const action = parse(readFileSync(join(ACTION_ROOT, 'action.yml'), 'utf8')) as ActionYaml;
  if (action.runs.using !== 'composite') throw new Error(`runs.using is ${action.runs.using}`);
  for (const name of Object.keys(inputs)) if (!(name in action.inputs)) throw new Error(`action.yml has no input ${name}`);
  const inputValue = (name: string): string => {
    if (!(name in action.inputs)) throw new Error(`action.yml refers to an undeclared input ${name}`);
    return inputs[name] ?? action.inputs[name]?.default ?? '';
  };
  const expand = (text: string, steps: Record<string, Record<string, string>>) =>
    text.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_all, expression: string) => {
      const input = /^inputs\.([\w-]+)$/.exec(expression);
      if (input !== null) return inputValue(input[1] ?? '');
      const output = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expression);
      if (output !== null) return steps[output[1] ?? '']?.[output[2] ?? ''] ?? '';
      throw new Error(`unsupported expression in action.yml: ${expression}`);
    });

  const work = mkdtempSync(join(tmpdir(), 'vkr-runner-'));
  const summary = join(work, 'step-summary.md');
  writeFileSync(summary, '');
  const stepOutputs: Record<string, Record<string, string>> = {};
  let log = '';
  let exitCode = 0;
  for (const [index, step] of action.runs.steps.entries()) {
    if (step.shell !== 'bash') throw new Error(`step ${index}: shell ${step.shell}`);
    if (step.run.includes('${{')) throw new Error(`step ${index}: an expression inside run`);
    const githubOutput = join(work, `output-${index}`);
    writeFileSync(githubOutput, '');
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, expand(String(value), stepOutputs)]));
    const result = await execa('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
      cwd: options.cwd,
      env: { ...options.env, ...stepEnv, GITHUB_ACTION_PATH: ACTION_ROOT, GITHUB_OUTPUT: githubOutput, GITHUB_STEP_SUMMARY: summary },
      extendEnv: false,
      reject: false,
      all: true,
      stdin: 'ignore',
    });
    log += result.all ?? '';
    if (step.id !== undefined) stepOutputs[step.id] = readOutputs(githubOutput);
    exitCode = result.exitCode ?? 1;
    if (exitCode !== 0) break; // a failed step fails the action; later steps do not run
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, output]) => [name, expand(output.value, stepOutputs)]));
  return { exitCode, log, outputs, summary: readFileSync(summary, 'utf8') };
}
