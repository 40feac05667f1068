import type { Command } from 'commander';
import { buildProgram, type RawOptions } from '../../src/cli/program.js';

/**
 * The run's program as commander leaves it after parsing a command line that gave
 * exactly these options (source `cli`); the others keep their defaults.
 */
export function flags(options: Partial<RawOptions>): Command {
  const program = buildProgram('0.0.0-test');
  for (const [key, value] of Object.entries(options)) {
    if (value !== undefined) program.setOptionValueWithSource(key, value, 'cli');
  }
  return program;
}
