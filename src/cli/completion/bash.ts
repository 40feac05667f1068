import { LOOKUP_OPTIONS, SHELLS, type CompletionOption } from './options.js';

const names = (option: CompletionOption) => [option.short, option.long].filter((n): n is string => n !== undefined);
const withValue = (options: readonly CompletionOption[], test: (o: CompletionOption) => boolean) =>
  options.filter(test).flatMap(names).join('|');

/**
 * bash: `complete -F`. bash splits `--output=json` into `--output`, `=`, `json`
 * (`=` is in COMP_WORDBREAKS), so a `=` before the current word means "value of the word before".
 * Release names come from `<this command> completion --releases` with the --namespace,
 * --context, --helm and --kubectl already typed; it prints nothing if helm is slow or fails.
 */
export function bashScript(options: readonly CompletionOption[]): string {
  const all = options.flatMap(names).join(' ');
  const choices = options
    .filter((o) => Array.isArray(o.value))
    .map((o) => `    ${names(o).join('|')}) COMPREPLY=($(compgen -W "${(o.value as string[]).join(' ')}" -- "$cur")); return ;;`)
    .join('\n');
  const lookupShort = options.filter((o) => (LOOKUP_OPTIONS as readonly string[]).includes(o.long) && o.short !== undefined).map((o) => o.short);
  return `# bash completion for videokit-rollback. Load it with:
#   source <(videokit-rollback completion bash)
_videokit_rollback_releases() {
  local -a forward=()
  local i word
  for (( i = 1; i < COMP_CWORD; i++ )); do
    word="\${COMP_WORDS[i]}"
    case "$word" in
      ${[...LOOKUP_OPTIONS, ...lookupShort].join('|')})
        if [[ "\${COMP_WORDS[i+1]}" == "=" ]]; then
          forward+=("$word" "\${COMP_WORDS[i+2]}")
        elif (( i + 1 < COMP_CWORD )); then
          forward+=("$word" "\${COMP_WORDS[i+1]}")
        fi ;;
    esac
  done
  "\${COMP_WORDS[0]}" completion --releases "\${forward[@]}" 2>/dev/null
}

_videokit_rollback() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev=""
  (( COMP_CWORD > 0 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [[ "$cur" == "=" ]]; then cur=""; fi
  if [[ "$prev" == "=" ]] && (( COMP_CWORD > 1 )); then prev="\${COMP_WORDS[COMP_CWORD-2]}"; fi
  if [[ "\${COMP_WORDS[1]}" == completion ]]; then
    (( COMP_CWORD == 2 )) && COMPREPLY=($(compgen -W "${SHELLS.join(' ')}" -- "$cur"))
    return
  fi
  case "$prev" in
${choices}
    ${withValue(options, (o) => o.value === 'release')}) COMPREPLY=($(compgen -W "$(_videokit_rollback_releases)" -- "$cur")); return ;;
    ${withValue(options, (o) => o.value === 'file')}) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); return ;;
    ${withValue(options, (o) => o.value === 'free')}) return ;;
  esac
  if (( COMP_CWORD == 1 )) && [[ "$cur" != -* ]]; then
    COMPREPLY=($(compgen -W "completion" -- "$cur"))
    return
  fi
  COMPREPLY=($(compgen -W "${all}" -- "$cur"))
}
complete -F _videokit_rollback videokit-rollback
`;
}
