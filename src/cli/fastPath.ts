/** What a bare `--version` / `--help` print; fixed at build time so nothing needs loading. */
export interface BuiltTexts {
  readonly version: string;
  readonly help: string;
}

/**
 * The answer to a bare `--version` or `--help`, or undefined when the argv needs
 * the real program. Answering these two from text fixed at build time keeps
 * commander, execa, zod and chalk unloaded, so they start about as fast as Node.
 * Anything else (including `--help` among other flags) goes to commander, which
 * prints the same text (see helpText.ts and scripts/build.mjs).
 */
export function fastAnswer(argv: readonly string[], built: BuiltTexts | undefined): string | undefined {
  if (built === undefined || argv.length !== 1) return undefined;
  const [arg] = argv;
  if (arg === '--version' || arg === '-V') return `${built.version}\n`;
  if (arg === '--help' || arg === '-h') return built.help;
  return undefined;
}
