import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnBuiltCli, waitFor } from '../support/cli.js';
import { runFaked } from '../support/inProcessCli.js';
import { DRILL_ARGS, drillRules } from '../support/drillRules.js';
import { createFakeTools, type FakeRule } from '../support/fakeTools.js';
import { parseTextTranscript } from '../support/transcriptText.js';
import { verifyTranscript } from '../../src/record/verify.js';
import { checkEvent } from '../../src/record/schemaCheck.js';

const GITHUB_TOKEN = 'ghp_R3allyS3cretT0kenValue0123456789';
const SA_JWT = 'eyJhbGciOiJSUzI1NiIsImtpZCI6IjEifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Y2kifQ.c2lnbmF0dXJl';
const SECRET_B64 = 'cG9zdGdyZXM6Ly9hZG1pbjpodW50ZXIyQGRi';
const SECRETS = [GITHUB_TOKEN, SA_JWT, SECRET_B64, 'hunter2-url-password', 'sha256~bearerTokenFromHeader'];

/** Command output that carries credentials, as real tools and proxies sometimes print them. */
const leakyRules: FakeRule[] = [
  {
    tool: 'kubectl',
    prefix: ['rollout', 'status', 'deployment/videokit-api'],
    stdout: 'deployment "videokit-api" successfully rolled out\n',
    stderr:
      `I1126 round_trippers.go:466] curl -v -XGET -H "Authorization: Bearer sha256~bearerTokenFromHeader" 'https://api.example:6443/apis/apps/v1'\n` +
      `W1126 proxy: retried https://ci:hunter2-url-password@proxy.example:3128/ with token ${GITHUB_TOKEN}\n`,
  },
  {
    tool: 'helm',
    prefix: ['rollback', 'videokit-api'],
    stdout: `Rollback was a success! Happy Helming!\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: videokit-api-env\ndata:\n  DATABASE_URL: ${SECRET_B64}\n`,
    stderr: `debug: service account token ${SA_JWT}\n`,
  },
];

function setup(rules: FakeRule[]) {
  const fake = createFakeTools(rules);
  const cwd = mkdtempSync(join(tmpdir(), 'vkr-rec-'));
  return { fake, cwd, env: { ...fake.env, GITHUB_TOKEN } };
}

describe('the transcript and the JSON document never hold a credential', () => {
  for (const file of ['audit.log', 'audit.jsonl']) {
    it(`redacts tokens, Authorization headers, URL passwords and Secret data (${file}, ${file.endsWith('.jsonl') ? 'JSON' : 'text'} output); mode 0600`, async () => {
      const { fake, cwd, env } = setup(drillRules({ overrides: leakyRules }));
      const path = join(cwd, file);
      const json = file.endsWith('.jsonl'); // text output for the .log run, JSON for the other: both are checked
      const result = await runFaked(fake, [...DRILL_ARGS, '--execute', '--yes', '--transcript', path, ...(json ? ['--output', 'json'] : [])], { cwd, env });
      expect(result.exitCode).toBe(0);
      // The fakes really printed the credentials ...
      expect(fake.calls().some((c) => c.argv[0] === 'rollback')).toBe(true);
      // ... and none of them reached the record, its text log, stdout or stderr.
      const files = [join(cwd, 'audit.jsonl'), join(cwd, 'audit.log')];
      const transcript = files.map((f) => readFileSync(f, 'utf8')).join('\n');
      for (const secret of SECRETS) {
        expect(transcript).not.toContain(secret);
        expect(result.stdout).not.toContain(secret);
        expect(result.stderr).not.toContain(secret);
      }
      expect(transcript).toContain('[REDACTED:GITHUB_TOKEN]');
      expect(transcript).toContain('Authorization: Bearer [REDACTED]');
      expect(transcript).toContain('https://ci:[REDACTED]@proxy.example:3128/');
      expect(transcript).toContain('DATABASE_URL: [REDACTED]');
      if (json) {
        const doc = JSON.parse(result.stdout);
        const rollback = doc.commands.find((c: { argv: string[] }) => c.argv[1] === 'rollback');
        expect(rollback.result.stderr).toBe('debug: service account token [REDACTED]\n');
      } else {
        expect(result.stdout).toMatch(/videokit-api: rolled back from revision 42 to 41/);
      }
      for (const f of files) expect(statSync(f).mode & 0o777).toBe(0o600);
    });
  }
});

describe('kill -9 leaves a transcript that parses up to the last finished event', () => {
  it('JSON Lines, killed while rollout status runs; its text log on demand', async () => {
    for (const file of ['killed.jsonl', 'killed.log']) {
      const { fake, cwd, env } = setup(
        drillRules({ overrides: [{ tool: 'kubectl', prefix: ['rollout', 'status', 'deployment/videokit-api'], delayMs: 120_000 }] }),
      );
      // killed.log names the text log; the record is killed.jsonl either way.
      const path = join(cwd, 'killed.jsonl');
      const child = spawnBuiltCli([...DRILL_ARGS, '--execute', '--yes', '--transcript', join(cwd, file)], { path: [fake.dir], cwd, env });
      await waitFor('rollout status to start', () => fake.calls().some((c) => c.argv[0] === 'rollout'));
      // The call is logged by the fake as it starts; the tool wrote command-start before spawning it.
      child.kill('SIGKILL');
      const result = await child;
      expect(result.signal).toBe('SIGKILL');
      const text = readFileSync(path, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      // Output arrives in command-output events, between a command's start and end: leave them out of the shape.
      const events = text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as { type: string; command?: string })
        .filter((e) => e.type !== 'command-output');
      // The identity reads of run-start, then the planning reads, each group concurrent so their
      // order varies; then the rest in order.
      expect(events[0]?.type).toBe('run-start');
      expect(events.slice(1, 7).map((e) => e.type).sort()).toEqual([...Array(3).fill('command-end'), ...Array(3).fill('command-start')]);
      expect(events[7]?.type).toBe('environment-check');
      // An --execute without TARGET_ENV is warned about before the first planning read.
      expect(events[8]?.type).toBe('warning');
      expect(events.slice(9, 17).map((e) => e.type).sort()).toEqual([...Array(4).fill('command-end'), ...Array(4).fill('command-start')]);
      expect(events.slice(17).map((e) => e.type)).toEqual([
        // The release's lock, the read just before the write, the write, then the rollout wait it was killed in.
        'release-state', 'release-state', 'plan', 'confirmation', 'stage', 'command-start', 'command-end', 'command-start', 'command-end', 'command-start', 'command-end', 'command-start',
      ]);
      expect(events.filter((e) => e.type === 'command-start')).toHaveLength(3 + 8);
      // What is left is a valid chain, without its seal: verification says the run was cut short.
      expect(verifyTranscript(readFileSync(path), checkEvent)).toMatchObject({ status: 'unsealed', runs: 1 });
      expect(events.at(-1)?.command).toMatch(/^kubectl rollout status deployment\/videokit-api /);
      expect(events.some((e) => e.type === 'outcome')).toBe(false);
      if (file.endsWith('.log')) {
        // Killed at once, the run wrote no text log; report renders it from the record.
        expect(existsSync(join(cwd, 'killed.log'))).toBe(false);
        const view = await runFaked(fake, ['report', path, '--format', 'text'], { cwd, env });
        expect(view.exitCode).toBe(0);
        expect(view.stdout).toContain('# verification: intact but NOT sealed: the run was cut short');
        const lines = parseTextTranscript(`${view.stdout}\n`); // without its final newline, as execa gives it
        expect(lines[0]?.head).toMatch(/==== videokit-rollback \S+ execute ====$/);
        expect(lines.at(-1)?.head).toMatch(/\[11\] verify videokit-api read: \$ kubectl rollout status deployment\/videokit-api /);
        expect(lines.filter((e) => / exit=0 duration=\d+ms$/.test(e.head))).toHaveLength(3 + 7);
        // The Markdown report of the same record: rendered, under the verdict that it was cut short.
        const md = await runFaked(fake, ['report', path], { cwd, env });
        expect(md.exitCode).toBe(0);
        expect(md.stdout).toMatch(/\| \*\*Verdict\*\* \| ⚠️ intact but NOT sealed: the run was cut short \(\d+ lines, 1 run\) \|/);
        expect(md.stdout).toContain('| **Seal digest (sha256)** | none: the record ends without a seal |');
        expect(md.stdout).toContain('## Overview');
      }
    }
  });

  it('at many moments, every run leaves a parseable file', async () => {
    // Each command takes a while, so the run is still going when the moment comes.
    const slow = (rules: FakeRule[]) => rules.map((rule) => ({ ...rule, delayMs: 150 }));
    // The moment is the Nth line on disk (an event, or a line of one), seen before the kill.
    for (const lines of [1, 3, 6, 9, 12, 16]) {
      const { fake, cwd, env } = setup(slow(drillRules()));
      const path = join(cwd, 'any.jsonl');
      const child = spawnBuiltCli([...DRILL_ARGS, '--execute', '--yes', '--transcript', path], { path: [fake.dir], cwd, env });
      const written = () => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').length - 1 : 0);
      await waitFor(`${lines} line(s) in ${path}`, () => written() >= lines);
      child.kill('SIGKILL');
      const result = await child;
      // Killed mid-run, not after it ended by itself: otherwise this case checked nothing.
      expect(result.signal).toBe('SIGKILL');
      const text = readFileSync(path, 'utf8');
      expect(text.split('\n').length - 1).toBeGreaterThanOrEqual(lines);
      expect(text.endsWith('\n')).toBe(true);
      for (const line of text.trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
    }
  });
});
