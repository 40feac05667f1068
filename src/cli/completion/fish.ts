import { LOOKUP_OPTIONS, SHELLS, type CompletionOption } from './options.js';

const quote = (text: string) => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function line(option: CompletionOption): string {
  const parts = ['complete -c videokit-rollback', '-n', quote('not __fish_seen_subcommand_from completion')];
  if (option.short !== undefined) parts.push('-s', option.short.replace(/^-/, ''));
  parts.push('-l', option.long.replace(/^--/, ''), '-d', quote(option.description));
  if (option.value === 'release') parts.push('-x', '-a', quote('(__videokit_rollback_releases)'));
  else if (option.value === 'file') parts.push('-r', '-F');
  else if (option.value === 'free') parts.push('-x');
  else if (Array.isArray(option.value)) parts.push('-x', '-a', quote(option.value.join(' ')));
  return parts.join(' ');
}

/** fish: `complete` lines; release names from `completion --releases` like the other shells. */
export function fishScript(options: readonly CompletionOption[]): string {
  const lookups = [
    ...LOOKUP_OPTIONS,
    ...options.filter((o) => (LOOKUP_OPTIONS as readonly string[]).includes(o.long) && o.short !== undefined).map((o) => o.short as string),
  ];
  return `# fish completion for videokit-rollback. Install: videokit-rollback completion fish > ~/.config/fish/completions/videokit-rollback.fish
function __videokit_rollback_releases
    set -l tokens (commandline -opc)
    set -l forward
    for i in (seq 2 (count $tokens))
        switch $tokens[$i]
            case ${lookups.join(' ')}
                if test $i -lt (count $tokens)
                    set -a forward $tokens[$i] $tokens[(math $i + 1)]
                end
            case ${LOOKUP_OPTIONS.map((o) => `'${o}=*'`).join(' ')}
                set -a forward $tokens[$i]
        end
    end
    $tokens[1] completion --releases $forward 2>/dev/null
end

complete -c videokit-rollback -f
complete -c videokit-rollback -n __fish_use_subcommand -a completion -d 'print a shell completion script'
complete -c videokit-rollback -n '__fish_seen_subcommand_from completion' -x -a ${quote(SHELLS.join(' '))}
${options.map(line).join('\n')}
`;
}
