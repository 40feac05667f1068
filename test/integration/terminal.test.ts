import { execa } from 'execa';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { onPseudoTerminal } from '../support/pty.js';
import { BIN } from '../support/cli.js';
import { DRILL_ARGS, drillRules } from '../support/drillRules.js';
import { createFakeTools } from '../support/fakeTools.js';

/**
 * Runs the CLI on a pseudo-terminal with script(1), typing `answer`
 * at the prompt, so the terminal-only behaviour is tested as an operator meets it.
 */
async function onTerminal(args: string[], answer: string, env: Record<string, string> = {}) {
  const fake = createFakeTools(drillRules());
  const cwd = mkdtempSync(join(tmpdir(), 'vkr-tty-'));
  const result = await execa(...onPseudoTerminal([process.execPath, BIN, ...args]), {
    input: `${answer}\n`,
    reject: false,
    cwd,
    extendEnv: false,
    env: { PATH: `${fake.dir}:/usr/bin:/bin`, HOME: cwd, TERM: 'xterm', ...fake.env, ...env },
    timeout: 30_000,
  });
  return { ...result, calls: fake.calls() };
}

const rollbacks = (calls: { argv: string[] }[]) => calls.filter((c) => c.argv[0] === 'rollback');

describe('on a terminal', () => {
  it('asks before executing and changes nothing when the answer is not yes', async () => {
    const result = await onTerminal([...DRILL_ARGS, '--execute'], 'no');
    expect(result.stdout).toContain('Type "yes" to go ahead');
    expect(result.stdout).toContain('not confirmed; nothing was changed');
    expect(result.exitCode).toBe(2);
    expect(rollbacks(result.calls)).toEqual([]);
  });

  it('executes once the operator types yes', async () => {
    const result = await onTerminal([...DRILL_ARGS, '--execute'], 'yes');
    expect(result.exitCode).toBe(0);
    expect(rollbacks(result.calls).map((c) => c.argv.slice(0, 3))).toEqual([
      ['rollback', 'videokit-api', '41'],
      ['rollback', 'videokit-worker', '17'],
    ]);
  });

  it('colours output on a terminal, and not when NO_COLOR is set', async () => {
    const coloured = await onTerminal([...DRILL_ARGS, '--dry-run'], '');
    expect(coloured.exitCode).toBe(0);
    expect(coloured.stdout).toContain('\u001b[');
    const plain = await onTerminal([...DRILL_ARGS, '--dry-run'], '', { NO_COLOR: '1' });
    expect(plain.exitCode).toBe(0);
    expect(plain.stdout).toContain('Plan: roll back 2 of 2');
    expect(plain.stdout).not.toContain('\u001b[');
  });
});
