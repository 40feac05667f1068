/**
 * POSIX shell quoting for display only: nothing we run ever goes through a shell.
 * Words made of safe characters stay bare so commands read naturally; anything
 * else is single-quoted, with embedded single quotes written as '\''.
 */
const SAFE_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function quoteArg(arg: string): string {
  if (SAFE_WORD.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function quoteCommand(words: readonly string[]): string {
  return words.map(quoteArg).join(' ');
}
