import { describe, expect, it } from 'vitest';
import { fastAnswer } from '../../src/cli/fastPath.js';
import { renderHelp } from '../../src/cli/helpText.js';

const built = { version: '9.8.7', help: renderHelp('9.8.7') };

describe('fastAnswer', () => {
  it('answers a bare --version / -V and --help / -h from the built texts', () => {
    expect(fastAnswer(['--version'], built)).toBe('9.8.7\n');
    expect(fastAnswer(['-V'], built)).toBe('9.8.7\n');
    expect(fastAnswer(['--help'], built)).toBe(built.help);
    expect(fastAnswer(['-h'], built)).toBe(built.help);
  });

  it('leaves everything else to commander', () => {
    expect(fastAnswer([], built)).toBeUndefined();
    expect(fastAnswer(['--help', '--dry-run'], built)).toBeUndefined();
    expect(fastAnswer(['-n', 'videokit', '--version'], built)).toBeUndefined();
    expect(fastAnswer(['--dry-run'], built)).toBeUndefined();
    expect(fastAnswer(['--version'], undefined)).toBeUndefined();
  });

  it('renders the help commander prints, examples and exit codes included', () => {
    expect(built.help).toMatch(/^Usage: videokit-rollback \[options\]/);
    expect(built.help).toContain('--concurrency <n>');
    expect(built.help).toContain('Exit codes:');
  });
});
