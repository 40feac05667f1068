import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { BIN, runBuiltCli } from '../support/cli.js';
import { runInProcess } from '../support/inProcessCli.js';

const cwd = mkdtempSync(join(tmpdir(), 'vkr-help-'));
const COMMANDS = buildProgram('0.0.0').commands.map((command) => command.name());

function longLines(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 80);
}

describe('help', () => {
  it('the program lists report, completion and help under one Commands heading', async () => {
    const { exitCode, stdout } = await runInProcess(['--help'], { cwd });
    expect(exitCode).toBe(0);
    expect(stdout.match(/^Commands:$/gm)).toHaveLength(1);
    const commands = stdout.slice(stdout.indexOf('Commands:'), stdout.indexOf('Examples:'));
    expect(commands).toMatch(/^ {2}report \[options\] <transcript>/m);
    expect(commands).toMatch(/^ {2}completion <shell>/m);
    expect(commands).toMatch(/^ {2}help \[command\]/m);
  });

  it('shows defaults and choices as typed, without quotes', async () => {
    const { stdout } = await runInProcess(['--help'], { cwd });
    expect(stdout).not.toMatch(/(default|choices): "/);
    expect(stdout.replace(/\s+/g, ' ')).toContain('planning reads in flight at once (default: 8)');
    expect(stdout.replace(/\s+/g, ' ')).toContain('(choices: text, json, default: text)');
  });

  it('every line of every help text is at most 80 columns', async () => {
    expect(COMMANDS).toEqual(['report', 'verify', 'completion']);
    const texts = [(await runBuiltCli(['--help'])).stdout, (await runInProcess([], { cwd })).stderr];
    for (const command of COMMANDS) {
      texts.push((await runInProcess(['help', command], { cwd })).stdout, (await runInProcess([command, '--help'], { cwd })).stdout);
    }
    for (const text of texts) {
      expect(text.length).toBeGreaterThan(100);
      expect(longLines(text)).toEqual([]);
    }
  });

  it('help <command> prints what <command> --help prints', async () => {
    for (const command of COMMANDS) {
      const viaHelp = await runInProcess(['help', command], { cwd });
      const viaFlag = await runInProcess([command, '--help'], { cwd });
      expect(viaHelp.exitCode).toBe(0);
      expect(viaHelp.stdout).toMatch(new RegExp(`^Usage: videokit-rollback ${command} `));
      expect(viaHelp.stdout).toBe(viaFlag.stdout);
    }
    const bare = await runInProcess(['help'], { cwd });
    expect(bare.stdout).toBe((await runInProcess(['--help'], { cwd })).stdout);
  });

  it('help of an unknown command is one line and exit 2', async () => {
    const { exitCode, stdout, stderr } = await runInProcess(['help', 'rollback'], { cwd });
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe(
      'videokit-rollback: error: help: unknown command "rollback" (commands: report, verify, completion)\n  hint: run videokit-rollback --help for usage\n',
    );
  });

  it('a bare invocation prints the usage line and the two drill steps, exit 2', async () => {
    const { exitCode, stdout, stderr } = await runInProcess([], { cwd });
    const help = (await runInProcess(['--help'], { cwd })).stdout;
    expect(exitCode).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toBe(help.split('\n')[0]);
    const commands = stderr.replace(/\\\n\s+/g, '').split('\n').filter((line) => line.includes('TARGET_ENV='));
    expect(commands).toEqual([
      '  TARGET_ENV=prod-eu-west-1 videokit-rollback --release videokit-api --release videokit-worker --namespace videokit --context prod-eu-west-1-admin --dry-run',
      '  TARGET_ENV=prod-eu-west-1 videokit-rollback --release videokit-api --release videokit-worker --namespace videokit --context prod-eu-west-1-admin --execute --timeout 10m',
    ]);
  });

  it('the bin run before a build says so in one line, no stack trace', async () => {
    const root = mkdtempSync(join(tmpdir(), 'vkr-unbuilt-'));
    mkdirSync(join(root, 'bin'));
    copyFileSync(BIN, join(root, 'bin', 'videokit-rollback.js'));
    const result = await execa(process.execPath, [join(root, 'bin', 'videokit-rollback.js'), '--help'], { reject: false });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('videokit-rollback: error: dist/ is missing (this checkout is not built): run npm ci && npm run build');
  });
});
