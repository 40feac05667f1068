import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPseudoTerminal } from '../support/pty.js';

const SRC = resolve(import.meta.dirname, '../../src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

describe('the tool runs wherever Node does (macOS, arm64, Linux)', () => {
  it('src/ reads nothing under /proc and uses process groups only behind the POSIX check', () => {
    const files = sources(SRC);
    expect(files.length).toBeGreaterThan(50);
    const offending = files.filter((file) => /['"`]\/proc\//.test(readFileSync(file, 'utf8'))).map((file) => relative(SRC, file));
    expect(offending).toEqual([]);
    const groups = files.filter((file) => /detached:|process\.kill\(-/.test(readFileSync(file, 'utf8'))).map((file) => relative(SRC, file));
    expect(groups).toEqual(['process/execaRunner.ts']);
    expect(readFileSync(join(SRC, 'process/execaRunner.ts'), 'utf8')).toMatch(/detached: PROCESS_GROUPS,/);
  });

  it('pseudo-terminal tests call script(1) the way util-linux and BSD (macOS) each take it', () => {
    expect(onPseudoTerminal(['node', 'bin/x.js', "it's"], 'linux')).toEqual(['script', ['-qec', "node bin/x.js 'it'\\''s'", '/dev/null']]);
    expect(onPseudoTerminal(['node', 'bin/x.js', "it's"], 'darwin')).toEqual(['script', ['-q', '/dev/null', 'node', 'bin/x.js', "it's"]]);
  });
});
