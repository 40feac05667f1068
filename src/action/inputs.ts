/**
 * The GitHub Action's inputs, turned into the CLI's argv. Pure: action.yml hands the
 * inputs over as environment variables (composite actions get no INPUT_* variables of
 * their own) and src/action/main.ts does the I/O.
 */
export interface ActionInputs {
  readonly releases: string;
  readonly namespace: string;
  readonly context: string;
  readonly targetEnv: string;
  readonly mode: string;
  readonly timeout: string;
  /** An approved plan to execute (`--plan`): it names the releases and the namespace. */
  readonly plan: string;
  /** Where a dry-run writes the plan for approval (`--plan-out`). */
  readonly planOut: string;
}

export class ActionInputError extends Error {}

/** `releases` may be one per line (a YAML block) or comma-separated, or both. */
export function splitReleases(text: string): string[] {
  return text
    .split(/[\n,]/)
    .map((name) => name.trim())
    .filter((name) => name !== '');
}

/**
 * Empty inputs are left out so the CLI's own defaults ($KUBE_CONTEXT, $TARGET_ENV, the
 * built-in timeout) apply. `--yes` only with execute: a dry-run never asks, and an
 * execute in CI has nobody to ask. Names are not checked here: the CLI refuses bad ones
 * with its usual one-line error and exit code 2.
 */
export function cliArguments(inputs: ActionInputs, paths: { transcript: string }): string[] {
  const mode = inputs.mode.trim();
  if (mode !== 'dry-run' && mode !== 'execute') {
    throw new ActionInputError(`input mode must be dry-run or execute, not "${mode}"`);
  }
  const plan = inputs.plan.trim();
  const planOut = inputs.planOut.trim();
  if (plan !== '' && mode !== 'execute') throw new ActionInputError('input plan goes with mode execute (a dry-run writes one with plan-out)');
  if (planOut !== '' && mode !== 'dry-run') throw new ActionInputError('input plan-out goes with mode dry-run');
  const releases = splitReleases(inputs.releases);
  let args: string[];
  if (plan !== '') {
    // The approved plan names the releases and the namespace: the CLI re-reads and checks them.
    if (releases.length > 0 || inputs.namespace.trim() !== '') {
      throw new ActionInputError('input plan replaces releases and namespace: leave those empty');
    }
    args = ['--plan', plan];
  } else {
    if (releases.length === 0) throw new ActionInputError('input releases names no release');
    if (inputs.namespace.trim() === '') throw new ActionInputError('input namespace is required (unless plan is given)');
    args = releases.flatMap((release) => ['--release', release]);
  }
  const optional: [string, string][] = [
    ['--plan-out', planOut],
    ['--namespace', inputs.namespace],
    ['--context', inputs.context],
    ['--target-env', inputs.targetEnv],
    ['--timeout', inputs.timeout],
  ];
  for (const [flag, value] of optional) {
    if (value.trim() !== '') args.push(flag, value.trim());
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
