import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quoteArg, quoteCommand, shownWords } from '../../src/domain/shellQuote.js';

/** What a POSIX shell makes of a quoted line: each word on its own NUL-terminated record. */
function shellWords(line: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('quoteCommand', () => {
  it('leaves ordinary words bare', () => {
    expect(quoteCommand(['helm', 'rollback', 'videokit-api', '41', '--kube-context', 'prod-eu-west-1-admin'])).toBe(
      'helm rollback videokit-api 41 --kube-context prod-eu-west-1-admin',
    );
  });

  it('quotes what a shell would interpret', () => {
    expect(quoteArg('x;touch /tmp/pwned')).toBe(`'x;touch /tmp/pwned'`);
    expect(quoteArg(`it's`)).toBe(`'it'\\''s'`);
    expect(quoteArg('')).toBe(`''`);
  });

  it('round-trips through /bin/sh', () => {
    const words = ['a b', `it's`, '$(id)', '`id`', '*', 'x;y', '', 'ünï', '--timeout', '10m0s'];
    expect(shellWords(quoteCommand(words))).toEqual(words);
  });
});

describe('shownWords', () => {
  it('splits a shown command into its quoted words, never inside one (properties)', () => {
    const word = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom("it's", 'a b', "'", '\\', "$'x'", '\x1b[2J x', 'x\u202ey z', ''));
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 8 }), (argv) => {
        expect(shownWords(quoteCommand(argv))).toEqual(argv.map(quoteArg));
      }),
      { numRuns: 300 },
    );
  });
});
