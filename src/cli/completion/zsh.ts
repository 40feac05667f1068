import { LOOKUP_OPTIONS, SHELLS, type CompletionOption } from './options.js';

/** _arguments spec text: brackets, colons and quotes would end the description early. */
function describe(text: string): string {
  return text.replace(/[[\]:]/g, ' ').replace(/'/g, `'\\''`).replace(/\\$/g, '');
}

function action(option: CompletionOption): string {
  if (option.value === 'none') return '';
  const label = option.long.replace(/^--/, '');
  if (option.value === 'release') return `:${label}:_videokit_rollback_releases`;
  if (option.value === 'file') return `:${label}:_files`;
  if (option.value === 'free') return `:${label}: `;
  return `:${label}:(${option.value.join(' ')})`;
}

function spec(option: CompletionOption): string {
  const body = `[${describe(option.description)}]${action(option)}`;
  const repeat = option.repeatable ? '*' : '';
  if (option.short === undefined) return `'${repeat}${option.long}${option.value === 'none' ? '' : '='}${body}'`;
  const exclusive = option.repeatable ? '' : `(${option.short} ${option.long})`;
  // -r value / --release value and --release=value are all accepted.
  return `'${exclusive}${repeat}'{${option.short},${option.long}${option.value === 'none' ? '' : '='}}'${body}'`;
}

/**
 * zsh: an `_arguments` function. Installed as `_videokit-rollback` in a folder on $fpath it
 * is autoloaded (`#compdef`); sourced, it registers itself with compdef.
 */
export function zshScript(options: readonly CompletionOption[]): string {
  return `#compdef videokit-rollback
# zsh completion for videokit-rollback. Install: videokit-rollback completion zsh > "\${fpath[1]}/_videokit-rollback"
# or load it for this shell: source <(videokit-rollback completion zsh)

_videokit_rollback_releases() {
  local -a forward releases
  local i
  for (( i = 2; i < CURRENT; i++ )); do
    case \${words[i]} in
      ${[...LOOKUP_OPTIONS, ...options.filter((o) => (LOOKUP_OPTIONS as readonly string[]).includes(o.long) && o.short !== undefined).map((o) => o.short)].join('|')}) forward+=(\${words[i]} \${words[i+1]}) ;;
      ${LOOKUP_OPTIONS.map((o) => `${o}=*`).join('|')}) forward+=(\${words[i]}) ;;
    esac
  done
  releases=(\${(f)"$(\${words[1]} completion --releases \${forward[@]} 2>/dev/null)"})
  _describe -t releases 'helm release' releases
}

_videokit_rollback() {
  if [[ \${words[2]} == completion ]]; then
    (( CURRENT == 3 )) && _values shell ${SHELLS.join(' ')}
    return
  fi
  _arguments -s -S \\
${options.map((o) => `    ${spec(o)} \\`).join('\n')}
    '1:command:(completion)'
}

if [[ \${zsh_eval_context[-1]} == loadautofunc ]]; then
  _videokit_rollback "$@"
else
  compdef _videokit_rollback videokit-rollback
fi
`;
}
