import { buildProgram } from './program.js';

/**
 * The full `--help` text, exactly as commander prints it when stdout is not a
 * terminal (80 columns, no colour). scripts/build.mjs runs this once at build
 * time so the bin can answer `--help` without loading commander.
 */
export function renderHelp(version: string): string {
  let text = '';
  const program = buildProgram(version).configureOutput({ writeOut: (chunk) => void (text += chunk) });
  // As in runCli: the rollback is the program's default action. With an action,
  // commander lists no implicit `help [command]` subcommand; the texts must match.
  program.action(() => undefined);
  program.outputHelp();
  return text;
}
