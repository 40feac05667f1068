import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { parse } from 'yaml';
import { inputVariable } from '../../src/action/inputs.js';

/**
 * Runs this repository's action.yml the way the GitHub runner runs a JavaScript action:
 * `node <runs.main>` in the workspace, every declared input as INPUT_<NAME> (the value
 * given, else the input's default), $GITHUB_OUTPUT and $GITHUB_STEP_SUMMARY naming files,
 * and the outputs read back from $GITHUB_OUTPUT. An input action.yml does not declare
 * makes it throw, so a test cannot pass one the runner would not.
 */
export const ACTION_ROOT = resolve(import.meta.dirname, '../..');

export interface ActionYaml {
  inputs: Record<string, { description: string; default?: string; required?: boolean }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

export const readActionYaml = (): ActionYaml => parse(readFileSync(join(ACTION_ROOT, 'action.yml'), 'utf8')) as ActionYaml;

export interface StartedAction {
  readonly child: ResultPromise<{ reject: false; all: true; stdin: 'ignore'; extendEnv: false }>;
  readonly outputs: () => Record<string, string>;
  readonly summary: () => string;
}

function readOutputs(file: string): Record<string, string> {
  const text = readFileSync(file, 'utf8');
  return Object.fromEntries(text.split('\n').filter(Boolean).map((line) => line.split(/=(.*)/s).slice(0, 2) as [string, string]));
}

export function startJavaScriptAction(inputs: Record<string, string>, options: { cwd: string; env: Record<string, string> }): StartedAction {
  const action = readActionYaml();
  if (action.runs.using !== 'node24') throw new Error(`runs.using is ${action.runs.using}`);
  for (const name of Object.keys(inputs)) if (!(name in action.inputs)) throw new Error(`action.yml has no input ${name}`);
  const inputEnv = Object.fromEntries(Object.entries(action.inputs).map(([name, input]) => [inputVariable(name), inputs[name] ?? input.default ?? '']));
  const work = mkdtempSync(join(tmpdir(), 'vkr-runner-'));
  const githubOutput = join(work, 'github-output');
  const summary = join(work, 'step-summary.md');
  writeFileSync(githubOutput, '');
  writeFileSync(summary, '');
  const child = execa(process.execPath, [join(ACTION_ROOT, action.runs.main)], {
    cwd: options.cwd,
    env: { ...options.env, ...inputEnv, GITHUB_OUTPUT: githubOutput, GITHUB_STEP_SUMMARY: summary },
    extendEnv: false,
    reject: false,
    all: true,
    stdin: 'ignore',
  });
  return { child, outputs: () => readOutputs(githubOutput), summary: () => readFileSync(summary, 'utf8') };
}

export interface ActionRun {
  exitCode: number;
  log: string;
  outputs: Record<string, string>;
  summary: string;
}

export async function runJavaScriptAction(inputs: Record<string, string>, options: { cwd: string; env: Record<string, string> }): Promise<ActionRun> {
  const started = startJavaScriptAction(inputs, options);
  const result = await started.child;
  return { exitCode: result.exitCode ?? 1, log: result.all ?? '', outputs: started.outputs(), summary: started.summary() };
}
