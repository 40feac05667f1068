/**
 * Shell quoting for display only: nothing we run ever goes through a shell.
 * Words made of safe characters stay bare so commands read naturally; anything
 * else is single-quoted, with embedded single quotes written as '\''. A word with a
 * control or bidi character is written in ANSI-C quoting ($'…\x1b…', bash, zsh, ksh):
 * still the same word when pasted, and nothing raw reaches a terminal.
 */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;
// eslint-disable-next-line no-control-regex -- control characters are what needs ANSI-C quoting
const NEEDS_ANSI_C = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
// eslint-disable-next-line no-control-regex -- see NEEDS_ANSI_C
const ANSI_C_ESCAPED = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029\\']/g;

function ansiC(c: string): string {
  if (c === '\\' || c === "'") return `\\${c}`;
  const code = c.charCodeAt(0);
  // \xHH is a byte: only ASCII is written that way, the rest as the character \uHHHH.
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export function quoteArg(arg: string): string {
  if (SAFE_WORD.test(arg)) return arg;
  if (NEEDS_ANSI_C.test(arg)) return `$'${arg.replace(ANSI_C_ESCAPED, ansiC)}'`;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function quoteCommand(words: readonly string[]): string {
  return words.map(quoteArg).join(' ');
}

/**
 * The words of a command as quoteCommand shows it, each still quoted: where a view may
 * break the line (between words, never inside one). Spaces inside '…' and $'…' words
 * belong to the word.
 */
export function shownWords(command: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: "'" | "$'" | null = null;
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    word += c;
    if (quote !== "'" && c === '\\') word += command[++i] ?? '';
    else if (quote !== null && c === "'") quote = null;
    else if (quote === null && c === "'") quote = word === "$'" || word.endsWith("$'") ? "$'" : "'";
    else if (quote === null && c === ' ') {
      if (word.length > 1) words.push(word.slice(0, -1));
      word = '';
    }
  }
  if (word !== '') words.push(word);
  return words;
}
