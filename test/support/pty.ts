import { quoteCommand } from '../../src/domain/shellQuote.js';

/**
 * The argv of script(1) running `argv` on a pseudo-terminal, output to nowhere.
 * util-linux (Linux) takes the command as one shell string with -c; the BSD script
 * of macOS takes it as trailing arguments after the output file.
 */
export function onPseudoTerminal(argv: readonly string[], platform: string = process.platform): [string, string[]] {
  return platform === 'darwin'
    ? ['script', ['-q', '/dev/null', ...argv]]
    : ['script', ['-qec', quoteCommand([...argv]), '/dev/null']];
}
