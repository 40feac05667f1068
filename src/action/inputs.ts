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
  const releases = splitReleases(inputs.releases);
  if (releases.length === 0) throw new ActionInputError('input releases names no release');
  const args = releases.flatMap((release) => ['--release', release]);
  const optional: [string, string][] = [
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
