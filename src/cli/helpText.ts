import { buildProgram } from './program.js';

/**
 * The full `--help` text, exactly as commander prints it when stdout is not a
 * terminal (80 columns, no colour). scripts/build.mjs runs this once at build
 * time so the bin can answer `--help` without loading commander.
 */
export function renderHelp(version: string): string {
  let text = '';
  buildProgram(version)
    .configureOutput({ writeOut: (chunk) => void (text += chunk) })
    .outputHelp();
  return text;
}
