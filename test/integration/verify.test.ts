import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DRILL_ARGS, drillRules } from '../support/drillRules.js';
import { createFakeTools } from '../support/fakeTools.js';
import { runInProcess } from '../support/inProcessCli.js';

/** `which ssh-keygen`: the signature tests need OpenSSH's ssh-keygen (.ci/run installs it). */
function sshKeygen(): string {
  return execFileSync('sh', ['-c', 'command -v ssh-keygen'], { encoding: 'utf8' }).trim();
}

/** A throwaway ed25519 key made by ssh-keygen, and an allowed-signers file naming it ops@example. */
function makeKey(dir: string, passphrase = ''): { key: string; allowed: string } {
  const key = join(dir, passphrase === '' ? 'signing-key' : 'locked-key');
  execFileSync(sshKeygen(), ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'ops@example', '-f', key]);
  const allowed = join(dir, 'allowed_signers');
  const [type, blob] = readFileSync(`${key}.pub`, 'utf8').split(' ');
  writeFileSync(allowed, `ops@example ${type} ${blob}\n`);
  return { key, allowed };
}

describe('verify and --sign-key, on a run against fake helm and kubectl', () => {
  const fake = createFakeTools(drillRules());
  const cwd = mkdtempSync(join(tmpdir(), 'vkr-verify-'));
  const transcript = join(cwd, 'audit.jsonl');
  const cli = (args: string[], path: string[] = [fake.dir]) => runInProcess(args, { cwd, path, env: fake.env });
  let digest = '';
  let keys: { key: string; allowed: string };

  beforeAll(async () => {
    expect(sshKeygen()).toMatch(/ssh-keygen$/);
    keys = makeKey(cwd);
    const run = await cli([...DRILL_ARGS, '--execute', '--yes', '--transcript', transcript, '--sign-key', keys.key]);
    expect(run.exitCode).toBe(0);
    digest = /seal digest \(sha256\): ([0-9a-f]{64})\n/.exec(run.stderr)?.[1] ?? '';
    expect(run.stderr).toContain(`signature: ${transcript}.sig\n`);
  });

  it('a sealed record verifies (exit 0), with the digest printed by the run', async () => {
    const plain = await cli(['verify', transcript]);
    expect(plain).toMatchObject({ exitCode: 0, stderr: '' });
    expect(plain.stdout).toMatch(new RegExp(`intact and sealed \\(\\d+ lines, 1 run\\); seal digest ${digest}\\n$`));
    expect((await cli(['verify', transcript, '--digest', digest])).exitCode).toBe(0);
    const other = await cli(['verify', transcript, '--digest', 'f'.repeat(64)]);
    expect(other.exitCode).toBe(7);
    expect(other.stdout).toMatch(/TAMPERED: no seal carries the digest f{64}: the last seal, line \d+, carries/);
  });

  it('the signature made with --sign-key verifies for its identity, not for another, and not over a changed file', async () => {
    const good = await cli(['verify', transcript, '--allowed-signers', keys.allowed, '--identity', 'ops@example']);
    expect(good.exitCode).toBe(0);
    expect(good.stdout).toMatch(/signature: Good "videokit-rollback" signature for ops@example with ED25519 key SHA256:/);
    const wrong = await cli(['verify', transcript, '--allowed-signers', keys.allowed, '--identity', 'mallory@example']);
    expect(wrong.exitCode).toBe(7);
    expect(wrong.stdout).toMatch(/signature: NOT valid for "mallory@example"/);

    // A second run appended: the chain still verifies, the old signature is replaced by one over the whole file.
    const copy = join(cwd, 'copy.jsonl');
    writeFileSync(copy, readFileSync(transcript));
    writeFileSync(`${copy}.sig`, readFileSync(`${transcript}.sig`));
    const appended = await cli([...DRILL_ARGS, '--dry-run', '--transcript', copy]);
    expect(appended.exitCode).toBe(0);
    const stale = await cli(['verify', copy, '--allowed-signers', keys.allowed, '--identity', 'ops@example']);
    expect(stale.exitCode).toBe(7);
    expect(stale.stdout).toMatch(/intact and sealed \(\d+ lines, 2 runs\)/);
  });

  it('an edited operator name is tampering, naming line 1; a record without its seal is cut short (exit 1)', async () => {
    const lines = readFileSync(transcript, 'utf8').split('\n');
    const edited = join(cwd, 'edited.jsonl');
    writeFileSync(edited, lines.map((line, i) => (i === 0 ? line.replace(/"user":"[^"]*"/, '"user":"someone-else"') : line)).join('\n'));
    const run = await cli(['verify', edited]);
    expect(run.exitCode).toBe(7);
    expect(run.stdout).toContain('TAMPERED: line 1 was altered: its sha256 is not the prev that line 2 recorded');

    const unsealed = join(cwd, 'unsealed.jsonl');
    writeFileSync(unsealed, lines.slice(0, -2).map((l) => `${l}\n`).join(''));
    const cut = await cli(['verify', unsealed]);
    expect(cut.exitCode).toBe(1);
    expect(cut.stdout).toMatch(/intact but NOT sealed: the run was cut short/);
    expect((await cli(['verify', unsealed, '--digest', digest])).exitCode).toBe(7);
  });

  it('usage problems and unreadable files exit 2', async () => {
    for (const args of [
      ['verify', join(cwd, 'missing.jsonl')],
      ['verify', transcript, '--digest', 'abc'],
      ['verify', transcript, '--identity', 'ops@example'],
      ['verify', transcript, '--allowed-signers', join(cwd, 'nope'), '--identity', ''],
      ['verify'],
    ]) {
      const run = await cli(args);
      expect(run.exitCode, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(/^videokit-rollback( verify)?: error: [^\n]+\n( {2}hint: [^\n]+\n)?$/);
    }
  });

  it('a key that cannot sign, or no ssh-keygen, is refused (exit 2) before anything is read or written', async () => {
    const locked = makeKey(mkdtempSync(join(tmpdir(), 'vkr-locked-')), 'a passphrase');
    const before = fake.calls().length;
    const out = join(cwd, 'refused.jsonl');
    const run = await cli([...DRILL_ARGS, '--execute', '--yes', '--transcript', out, '--sign-key', locked.key]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/error: --sign-key "[^"]+locked-key" cannot sign: ssh-keygen says "Load key .*incorrect passphrase/);
    expect(existsSync(out)).toBe(false);
    expect(fake.calls().length).toBe(before);

    const noKeygen = await runInProcess([...DRILL_ARGS, '--execute', '--yes', '--transcript', out, '--sign-key', keys.key], {
      cwd, env: { ...fake.env, PATH: fake.dir },
    });
    expect(noKeygen.exitCode).toBe(2);
    expect(noKeygen.stderr).toMatch(/error: --sign-key: ssh-keygen was not found on PATH/);
    expect(existsSync(out)).toBe(false);
  });
});
