import { Command, CommanderError, Option } from 'commander';
import { usageError } from '../domain/errors.js';
import { bashScript } from './completion/bash.js';
import { fishScript } from './completion/fish.js';
import { completionOptions, LOOKUP_OPTIONS, SHELLS, type Shell } from './completion/options.js';
import { listReleaseNames } from './completion/releases.js';
import { zshScript } from './completion/zsh.js';
import type { Clock } from '../process/budget.js';
import type { CommandRunner } from '../process/runner.js';
import type { ConfigFile } from './configFile.js';
import { configFileFor } from './config.js';
import { applyConfigFile, forgetEmptyFlags, settingOf } from './optionSources.js';
import { buildProgram, runOptions } from './program.js';

const SCRIPTS: Record<Shell, typeof bashScript> = { bash: bashScript, zsh: zshScript, fish: fishScript };

export interface CompletionDeps {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly runner: CommandRunner;
  readonly clock: Clock;
  readonly version: string;
  readonly writeOut: (text: string) => void;
}

/**
 * The command `completion` really parses with; its `--help` is what `help completion`
 * prints (scripts/gen-docs.ts documents it from here too). The lookup options are the
 * run's own definitions (environment variables included), hidden.
 */
export function completionCommand(): Command {
  const command = new Command('videokit-rollback completion')
    .description('Print a shell completion script for bash, zsh or fish.')
    .argument('[shell]', SHELLS.join(' | '))
    .addOption(new Option('--releases', 'print release names (used by the scripts)').hideHelp());
  const lookup: readonly string[] = LOOKUP_OPTIONS;
  for (const option of runOptions()) {
    if (option.long !== undefined && lookup.includes(option.long)) command.addOption(option.hideHelp());
  }
  return command;
}

/**
 * The names for `completion --releases`: namespace, context and binaries resolved as a
 * run resolves them (flag > environment > config file > default). A broken config file
 * just means no defaults here: completion never prints errors.
 */
function releaseNames(command: Command, deps: CompletionDeps): Promise<string[]> {
  forgetEmptyFlags(command);
  let file: ConfigFile | undefined;
  try {
    file = configFileFor(command, deps.env, deps.cwd);
  } catch {
    file = undefined;
  }
  applyConfigFile(command, file);
  const value = (key: string) => settingOf<string>(command, key, { file: null, plan: null })?.value;
  return listReleaseNames(
    { namespace: value('namespace'), context: value('context'), helm: value('helm') ?? 'helm', kubectl: value('kubectl') ?? 'kubectl' },
    deps.runner,
    deps.clock,
  );
}

/**
 * `videokit-rollback completion bash|zsh|fish` prints a script; the scripts call back
 * `completion --releases [--namespace n] [--context c] [--helm h] [--kubectl k] [--config f]` for names.
 * Usage problems throw RollbackFailure like the rest of the CLI (exit 2).
 */
export async function runCompletion(args: readonly string[], deps: CompletionDeps): Promise<void> {
  const command = completionCommand().exitOverride().configureOutput({ writeOut: deps.writeOut, writeErr: () => undefined });
  try {
    command.parse([...args], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && (error.code === 'commander.helpDisplayed' || error.code === 'commander.help')) return;
    if (error instanceof CommanderError) throw usageError(`completion: ${error.message.replace(/^error: /, '')}`);
    throw error;
  }
  if (command.opts<{ releases?: boolean }>().releases === true) {
    const names = await releaseNames(command, deps);
    deps.writeOut(names.map((name) => `${name}\n`).join(''));
    return;
  }
  const shell = command.args[0];
  if (!(SHELLS as readonly string[]).includes(shell ?? '')) {
    throw usageError(`completion needs a shell: ${SHELLS.join(', ')}${shell === undefined ? '' : ` (not "${shell}")`}`, 'e.g. source <(videokit-rollback completion bash)');
  }
  deps.writeOut(SCRIPTS[shell as Shell](completionOptions(buildProgram(deps.version))));
}
