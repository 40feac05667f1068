import type { Command, Option } from 'commander';
import type { Setting } from '../domain/settings.js';
import type { ConfigFile, ConfigFileValues } from './configFile.js';

/**
 * Precedence, once: a flag beats its environment variable (`Option.env()`), which
 * beats the config file, which beats the option's default. Each step records its
 * source in commander (`cli`, `env`, `config`, `default`), and a Setting is read
 * back from `getOptionValueSource()`.
 */

/** The config-file key that defaults each option (by commander's attribute name). */
export const FILE_KEYS: Readonly<Record<string, keyof ConfigFileValues>> = {
  release: 'releases',
  namespace: 'namespace',
  context: 'context',
  targetEnv: 'targetEnv',
  timeout: 'timeout',
};

/** The source an approved plan (`--plan`) gives the values it decides. */
export const PLAN_SOURCE = 'plan';

/** Options for which an empty flag names nothing, so the variable or default applies: an empty path runs nothing. */
const EMPTY_FLAG_IS_UNSET = new Set(['helm', 'kubectl']);

function optionOf(command: Command, key: string): Option | undefined {
  return command.options.find((option) => option.attributeName() === key);
}

function unsetValue(command: Command, option: Option): void {
  const key = option.attributeName();
  if (option.defaultValue === undefined) command.setOptionValueWithSource(key, undefined, undefined);
  else command.setOptionValueWithSource(key, option.defaultValue, 'default');
}

/**
 * The environment step, from the run's own environment rather than commander's
 * reading of `process.env`: the GitHub Action and the tests pass one of their own.
 * An empty variable counts as unset, as for a shell's `KUBE_CONTEXT= cmd`.
 */
export function applyEnvironment(command: Command, env: NodeJS.ProcessEnv): void {
  for (const option of command.options) {
    if (option.envVar === undefined) continue;
    const key = option.attributeName();
    const flag = command.getOptionValueSource(key) === 'cli';
    if (flag && !(EMPTY_FLAG_IS_UNSET.has(key) && command.getOptionValue(key) === '')) continue;
    const value = env[option.envVar];
    if (value !== undefined && value !== '') command.setOptionValueWithSource(key, value, 'env');
    else unsetValue(command, option);
  }
}

/** Completion reads half-typed command lines: there an empty value is no value at all. */
export function forgetEmptyFlags(command: Command): void {
  for (const option of command.options) {
    const key = option.attributeName();
    if (command.getOptionValueSource(key) === 'cli' && command.getOptionValue(key) === '') unsetValue(command, option);
  }
}

/** The config-file step: a key fills its option only where no flag, variable or plan set it. */
export function applyConfigFile(command: Command, file: ConfigFile | undefined): void {
  if (file === undefined) return;
  for (const [key, fileKey] of Object.entries(FILE_KEYS)) {
    const value = file.values[fileKey];
    const source = command.getOptionValueSource(key);
    if (value !== undefined && (source === undefined || source === 'default')) command.setOptionValueWithSource(key, value, 'config');
  }
}

/** Whether the operator typed this option (not a variable, file or default). */
export function givenAsFlag(command: Command, key: string): boolean {
  return command.getOptionValueSource(key) === 'cli';
}

/** Where the file and the plan are, for a Setting's `from`. */
export interface Origins {
  readonly file: string | null;
  readonly plan: string | null;
}

/** An option's effective value and where it came from; undefined when nothing set it. */
export function settingOf<T>(command: Command, key: string, origins: Origins): Setting<T> | undefined {
  const value = command.getOptionValue(key) as T | undefined;
  if (value === undefined) return undefined;
  const option = optionOf(command, key);
  switch (command.getOptionValueSource(key)) {
    case 'cli':
      return { value, source: 'flag', from: option?.long ?? null };
    case 'env':
      return { value, source: 'env', from: `$${option?.envVar ?? ''}` };
    case 'config':
      return { value, source: 'file', from: origins.file };
    case PLAN_SOURCE:
      return { value, source: 'plan', from: origins.plan };
    default:
      return { value, source: 'default', from: null };
  }
}
