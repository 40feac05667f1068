import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, runBuiltCli } from '../support/cli.js';

const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
const TRACE = resolve(import.meta.dirname, '../support/trace-loads.mjs');

/** The module URLs the bin resolves for an argv (bare specifiers of node: builtins included). */
async function modulesLoaded(args: string[]): Promise<string[]> {
  const log = join(mkdtempSync(join(tmpdir(), 'vkr-trace-')), 'loads.txt');
  const result = await execa(process.execPath, ['--import', TRACE, BIN, ...args], {
    reject: false,
    env: { VKR_TRACE_LOADS: log, PATH: '/usr/bin:/bin' },
    extendEnv: false,
  });
  expect(result.exitCode).toBe(0);
  return readFileSync(log, 'utf8').trim().split('\n');
}

describe('start-up fast path', () => {
  it('--version and -V print the package version', async () => {
    for (const flag of ['--version', '-V']) {
      const result = await runBuiltCli([flag]);
      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe(pkg.version);
    }
  });

  it('a bare --help prints exactly what commander prints for --help among other flags', async () => {
    const fast = await runBuiltCli(['--help']);
    const full = await runBuiltCli(['--namespace', 'videokit', '--help']);
    expect(fast.exitCode).toBe(0);
    expect(full.exitCode).toBe(0);
    expect(fast.stdout).toContain('Usage: videokit-rollback');
    expect(fast.stdout).toBe(full.stdout);
  });

  it('a bare --version or --help loads only the small entry, not the run path', async () => {
    for (const flag of ['--version', '--help']) {
      const urls = (await modulesLoaded([flag])).filter((url) => url.startsWith('file:'));
      expect(urls.map((url) => url.replace(/^.*\/(bin|dist)\//, '$1/'))).toEqual(['bin/videokit-rollback.js', 'dist/cli.js']);
    }
    const full = await modulesLoaded(['--namespace', 'videokit', '--version']);
    expect(full.some((url) => url.endsWith('/dist/main.js'))).toBe(true);
  });
});
