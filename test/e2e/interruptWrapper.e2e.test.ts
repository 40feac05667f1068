import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { MATRIX, requireBinaries } from '../support/binaries.js';
import { isAlive, waitFor } from '../support/cli.js';
import { DRILL_ARGS } from '../support/drillRules.js';
import { startAgainst, withSandbox } from '../support/sandboxRun.js';

/**
 * helm behind a wrapper script (a version manager's shim, a credential wrapper) is the
 * tool's grandchild. SIGINT during a slow `helm history` must end it too: the tool exits
 * 130 within a second, without waiting for helm's request or its pipe, and writes nothing.
 */
describe.each(MATRIX)('SIGINT during a slow helm history behind a wrapper script ($name)', (pair) => {
  beforeAll(() => requireBinaries([pair]));

  it('exits 130 within 1 s, leaves no helm running, sends no mutating request', async () => {
    await withSandbox('drill', async (sandbox) => {
      // Not `exec`: the shell stays the child and helm is its child, as with most shims.
      const wrapper = join(sandbox.dir, 'helm-wrapper');
      const helmPids = join(sandbox.dir, 'helm.pids');
      writeFileSync(wrapper, `#!/bin/sh\n"${pair.helm}" "$@" &\necho $! >> "${helmPids}"\nwait $!\n`);
      chmodSync(wrapper, 0o755);
      sandbox.faults.setLatencyMs(30_000);
      const child = startAgainst(sandbox, pair, [...DRILL_ARGS, '--dry-run', '--transcript', 'dry.jsonl'], { HELM_BIN: wrapper });
      // helm has started behind the wrapper and the API server holds the requests: the read is under way, and slow.
      await waitFor('helm to start and the API server to be asked', () => existsSync(helmPids) && sandbox.requests().length > 0, 30_000);
      const interrupted = performance.now();
      child.kill('SIGINT');
      const run = await child;
      const elapsedMs = performance.now() - interrupted;

      expect(run.exitCode).toBe(130);
      expect(elapsedMs).toBeLessThan(1_000);
      expect(sandbox.mutatingRequests()).toEqual([]);
      const record = readFileSync(join(sandbox.dir, 'dry.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      // The record ends with its seal, right after the outcome.
      expect(record.at(-1)).toMatchObject({ type: 'seal' });
      const outcome = record.at(-2);
      expect(outcome).toMatchObject({ type: 'outcome', status: 'interrupted', exitCode: 130 });
      // The whole group was ended: no helm is left holding its request open.
      const pids = readFileSync(helmPids, 'utf8').trim().split('\n').map(Number);
      expect(pids.length).toBeGreaterThan(0);
      await waitFor('every helm the wrapper started to be gone', () => pids.every((pid) => !isAlive(pid)), 2_000);
    });
  }, 60_000);
});
