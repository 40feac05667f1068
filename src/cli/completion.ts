import { Command, CommanderError, Option } from 'commander';
import { usageError } from '../domain/errors.js';
import { bashScript } from './completion/bash.js';
import { fishScript } from './completion/fish.js';
import { completionOptions, SHELLS, type Shell } from './completion/options.js';
import { listReleaseNames } from './completion/releases.js';
import { zshScript } from './completion/zsh.js';
import type { Clock } from '../process/budget.js';
import type { CommandRunner } from '../process/runner.js';
import { loadConfigFile, type ConfigFile } from './configFile.js';
import { buildProgram } from './program.js';

const nonEmpty = (value: string | undefined) => (value === undefined || value === '' ? undefined : value);

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
 * The command `completion` really parses with, hidden options included; its `--help` is
 * what `help completion` prints (scripts/gen-docs.ts documents it from here too).
 */
export function completionCommand(): Command {
  return new Command('videokit-rollback completion')
    .description('Print a shell completion script for bash, zsh or fish.')
    .argument('[shell]', SHELLS.join(' | '))
    .addOption(new Option('--releases', 'print release names (used by the scripts)').hideHelp())
    .addOption(new Option('-n, --namespace <namespace>').hideHelp())
    .addOption(new Option('--context <name>').hideHelp())
    .addOption(new Option('--helm <path>').hideHelp())
    .addOption(new Option('--kubectl <path>').hideHelp())
    .addOption(new Option('--config <path>').hideHelp());
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
  const opts = command.opts<{ releases?: boolean; namespace?: string; context?: string; helm?: string; kubectl?: string; config?: string }>();
  if (opts.releases === true) {
    // The config file's namespace and context count too (same precedence as a run); a broken
    // file just means no defaults here: completion never prints errors.
    let file: ConfigFile | undefined;
    try {
      file = loadConfigFile(nonEmpty(opts.config), deps.env, deps.cwd);
    } catch {
      file = undefined;
    }
    const names = await listReleaseNames(
      {
        namespace: nonEmpty(opts.namespace) ?? file?.values.namespace,
        context: nonEmpty(opts.context) ?? nonEmpty(deps.env.KUBE_CONTEXT) ?? file?.values.context,
        helm: nonEmpty(opts.helm) ?? nonEmpty(deps.env.HELM_BIN) ?? 'helm',
        kubectl: nonEmpty(opts.kubectl) ?? nonEmpty(deps.env.KUBECTL_BIN) ?? 'kubectl',
      },
      deps.runner,
      deps.clock,
    );
    deps.writeOut(names.map((name) => `${name}\n`).join(''));
    return;
  }
  const shell = command.args[0];
  if (!(SHELLS as readonly string[]).includes(shell ?? '')) {
    throw usageError(`completion needs a shell: ${SHELLS.join(', ')}${shell === undefined ? '' : ` (not "${shell}")`}`, 'e.g. source <(videokit-rollback completion bash)');
  }
  deps.writeOut(SCRIPTS[shell as Shell](completionOptions(buildProgram(deps.version))));
}
