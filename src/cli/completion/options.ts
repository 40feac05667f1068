import type { Command } from 'commander';

/** What a completion script needs to know about one option. */
export interface CompletionOption {
  readonly short: string | undefined;
  readonly long: string;
  readonly description: string;
  /** none: a flag; free: any text; release: names from helm; file: paths; a list: those words. */
  readonly value: 'none' | 'free' | 'release' | 'file' | readonly string[];
  readonly repeatable: boolean;
}

const RELEASE_VALUED = new Set(['--release']);
const FILE_VALUED = new Set(['--transcript', '--helm', '--kubectl', '--config', '--plan', '--plan-out']);
const REPEATABLE = new Set(['--release', '--to-revision', '--check-url', '--annotate-tag']);

/** Read from the commander program itself, so the scripts never drift from the options. */
export function completionOptions(program: Command): CompletionOption[] {
  const options: CompletionOption[] = program.options
    .filter((option) => option.long !== undefined && !option.hidden)
    .map((option) => {
      const long = option.long as string;
      const takesValue = option.required || option.optional;
      const value: CompletionOption['value'] = !takesValue
        ? 'none'
        : option.argChoices !== undefined
          ? option.argChoices
          : RELEASE_VALUED.has(long)
            ? 'release'
            : FILE_VALUED.has(long)
              ? 'file'
              : 'free';
      return { short: option.short, long, description: option.description, value, repeatable: REPEATABLE.has(long) };
    });
  // commander adds --help itself, outside program.options.
  options.push({ short: '-h', long: '--help', description: 'display help', value: 'none', repeatable: false });
  return options;
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** The options whose values the release lookup forwards to `completion --releases`. */
export const LOOKUP_OPTIONS = ['--namespace', '--context', '--helm', '--kubectl', '--config'] as const;
