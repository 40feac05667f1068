/**
 * The GitHub Action's inputs, turned into the CLI's argv. Pure: src/action/main.ts reads
 * the inputs (the runner hands a JavaScript action each one as an INPUT_<NAME> variable,
 * never through a shell) and does the I/O.
 */

/** The value of an input, '' when not given (the runner passes declared defaults). */
export type ReadInput = (name: string) => string;

export class ActionInputError extends Error {}

/** Inputs passed on as `<flag> <value>` when not empty, in this order. */
export const VALUE_INPUTS = [
  ['plan-out', '--plan-out'],
  ['namespace', '--namespace'],
  ['context', '--context'],
  ['target-env', '--target-env'],
  ['timeout', '--timeout'],
  ['plan-max-age', '--plan-max-age'],
  ['wait-strategy', '--wait-strategy'],
  ['parallel', '--parallel'],
  ['concurrency', '--concurrency'],
  ['helm', '--helm'],
  ['kubectl', '--kubectl'],
  ['config', '--config'],
  ['annotate-dashboard', '--annotate-dashboard'],
] as const;

/** Inputs of one value per line (a URL may hold commas), each passed as `<flag> <value>`. */
export const LIST_INPUTS = [
  ['to-revision', '--to-revision'],
  ['check-url', '--check-url'],
  ['annotate-tag', '--annotate-tag'],
] as const;

/** Boolean inputs ('true'/'false', as YAML writes them) passed as a bare flag when true. */
export const FLAG_INPUTS = [
  ['atomic', '--atomic'],
  ['drill', '--drill'],
  ['allow-pending', '--allow-pending'],
  ['diff', '--diff'],
  ['annotate', '--annotate'],
] as const;

/** Inputs the action itself handles rather than passing on. */
export const OWN_INPUTS = ['releases', 'mode', 'plan', 'transcript-dir'] as const;

/** `releases` may be one per line (a YAML block) or comma-separated, or both. */
export function splitReleases(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

function splitLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/** The boolean spellings of YAML 1.2's core schema, which is what @actions/core accepts too. */
function booleanInput(name: string, value: string): boolean {
  const text = value.trim();
  if (text === '' || ['false', 'False', 'FALSE'].includes(text)) return false;
  if (['true', 'True', 'TRUE'].includes(text)) return true;
  throw new ActionInputError(`input ${name} must be true or false, not "${text}"`);
}

function releaseOrPlanArgs(read: ReadInput, mode: string): string[] {
  const plan = read('plan').trim();
  const releases = splitReleases(read('releases'));
  if (plan !== '' && mode !== 'execute') throw new ActionInputError('input plan goes with mode execute (a dry-run writes one with plan-out)');
  if (read('plan-out').trim() !== '' && mode !== 'dry-run') throw new ActionInputError('input plan-out goes with mode dry-run');
  if (plan !== '') {
    // The approved plan names the releases and the namespace: the CLI re-reads and checks them.
    if (releases.length > 0 || read('namespace').trim() !== '') {
      throw new ActionInputError('input plan replaces releases and namespace: leave those empty');
    }
    return ['--plan', plan];
  }
  if (releases.length === 0) throw new ActionInputError('input releases names no release');
  if (read('namespace').trim() === '') throw new ActionInputError('input namespace is required (unless plan is given)');
  return releases.flatMap((release) => ['--release', release]);
}

/**
 * Empty inputs are left out so the CLI's own defaults ($KUBE_CONTEXT, $TARGET_ENV, the
 * built-in timeout) apply. `--yes` only with execute: a dry-run never asks, and an
 * execute in CI has nobody to ask. Values are not checked here: the CLI refuses bad
 * ones with its usual one-line error and exit code 2.
 */
export function cliArguments(read: ReadInput, paths: { transcript: string }): string[] {
  const mode = read('mode').trim();
  if (mode !== 'dry-run' && mode !== 'execute') {
    throw new ActionInputError(`input mode must be dry-run or execute, not "${mode}"`);
  }
  const args = releaseOrPlanArgs(read, mode);
  for (const [name, flag] of VALUE_INPUTS) {
    const value = read(name).trim();
    if (value !== '') args.push(flag, value);
  }
  for (const [name, flag] of LIST_INPUTS) {
    for (const value of splitLines(read(name))) args.push(flag, value);
  }
  for (const [name, flag] of FLAG_INPUTS) {
    if (booleanInput(name, read(name))) args.push(flag);
  }
  args.push(mode === 'execute' ? '--execute' : '--dry-run');
  if (mode === 'execute') args.push('--yes');
  args.push('--transcript', paths.transcript, '--output', 'json');
  return args;
}

/** reports/deploy/videokit-rollback-execute-20261126T090000Z: the transcript and the result share it. */
export function resultBaseName(mode: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `videokit-rollback-${mode.trim()}-${stamp}`;
}

/** How the runner names an input's variable: INPUT_ and the name upper-cased, spaces as _. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}
