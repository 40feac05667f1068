import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Sandbox } from '../sandbox/index.js';
import { MATRIX, requireBinaries, type ToolPair } from '../support/binaries.js';
import { BIN, waitFor } from '../support/cli.js';
import { DRILL_ARGS } from '../support/drillRules.js';
import { GO_CLIENT_ENV, startAgainst, withSandbox, helmWrote } from '../support/sandboxRun.js';

/**
 * A reader that goes away (`| head -n 1`, `| true`, a closed CI log) ends the output,
 * not the run: no stack trace, and the exit code the outcome deserves, the one the
 * transcript records.
 */
type Event = Record<string, unknown> & { type: string };
const eventsOf = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Event);
const STACK_TRACE = /\n\s+at |EPIPE/;

/** The built CLI on the sandbox, its stdout piped into `reader` by bash (pipefail: the CLI's exit code wins over the reader's). */
function pipeInto(sandbox: Sandbox, pair: ToolPair, args: string[], reader: string) {
  return execa('bash', ['-c', `set -o pipefail; "$@" | ${reader}`, 'bash', process.execPath, BIN, ...args], {
    reject: false,
    stdin: 'ignore',
    cwd: sandbox.dir,
    extendEnv: false,
    env: { PATH: '/usr/bin:/bin', ...sandbox.env, ...GO_CLIENT_ENV, HELM_BIN: pair.helm, KUBECTL_BIN: pair.kubectl },
    timeout: 60_000,
  });
}

describe.each(MATRIX)('a closed stdout ($name)', (pair) => {
  beforeAll(() => requireBinaries([pair]));

  it('--dry-run | head -n 1: one line shown, exit 0, the transcript says stdout was closed', async () => {
    await withSandbox('drill', async (sandbox) => {
      const run = await pipeInto(sandbox, pair, [...DRILL_ARGS, '--dry-run', '--transcript', 'dry.jsonl'], 'head -n 1');
      expect(run.stdout.split('\n')).toHaveLength(1);
      expect(run.stderr).not.toMatch(STACK_TRACE);
      expect(run.exitCode).toBe(0);
      const events = eventsOf(join(sandbox.dir, 'dry.jsonl'));
      // The settings line came before any command; the plan written after the reads found the pipe closed.
      expect(events.find((e) => e.type === 'output-closed')).toMatchObject({ stream: 'stdout' });
      // The record ends with its seal, right after the outcome.
      expect(events.at(-1)).toMatchObject({ type: 'seal' });
      expect(events.at(-2)).toMatchObject({ type: 'outcome', status: 'planned', exitCode: 0 });
    });
  }, 60_000);

  it('--output json | true: exit 0, no stack trace', async () => {
    await withSandbox('drill', async (sandbox) => {
      const run = await pipeInto(sandbox, pair, [...DRILL_ARGS, '--dry-run', '--output', 'json'], 'true');
      expect(run.stderr).not.toMatch(STACK_TRACE);
      expect(run.exitCode).toBe(0);
    });
  }, 60_000);

  it('--execute whose stdout closes mid-run: rolls back both, exits with the code its transcript records', async () => {
    await withSandbox('drill', async (sandbox) => {
      const child = startAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes', '--timeout', '1m', '--transcript', 'run.jsonl']);
      await waitFor('the first helm rollback to write', () => helmWrote(sandbox), 30_000);
      child.stdout?.destroy();
      const run = await child;
      expect(run.stderr).not.toMatch(STACK_TRACE);
      const events = eventsOf(join(sandbox.dir, 'run.jsonl'));
      expect(events.find((e) => e.type === 'output-closed')).toMatchObject({ stream: 'stdout' });
      expect(events.at(-1)).toMatchObject({ type: 'seal' });
      const outcome = events.at(-2);
      expect(outcome).toMatchObject({ type: 'outcome', status: 'rolled-back', exitCode: 0 });
      expect(run.exitCode).toBe(outcome?.exitCode);
      expect(sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ revision: 43, description: 'Rollback to 41' });
      expect(sandbox.releaseHistory('videokit-worker').at(-1)).toMatchObject({ revision: 19, description: 'Rollback to 17' });
    });
  }, 90_000);
});
