import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasPair, HELM4, KUBECTL135, requireBinaries, type ToolPair } from '../support/binaries.js';
import { runJavaScriptAction } from '../support/javascriptAction.js';
import { GO_CLIENT_ENV, withSandbox } from '../support/sandboxRun.js';

/**
 * action.yml itself, step by step as the runner runs it, against the sandbox with the real
 * helm 4.1.4 / kubectl 1.35.2 (the CLI's own e2e tests cover both pairs): a dry-run
 * that changes nothing, then an execute that rolls the drill back.
 */
const pair: ToolPair = { name: 'helm4-kubectl135', helm: HELM4, kubectl: KUBECTL135 };

describe.skipIf(!hasPair(pair.name))('the GitHub Action on the sandbox', () => {
  beforeAll(() => requireBinaries([pair]));

  it('dry-run, then execute: outputs, transcript, JSON result and job summary', async () => {
    await withSandbox('drill', async (sandbox) => {
      // PATH holds helm and kubectl, as on a runner after setup-helm/setup-kubectl.
      const env = { ...sandbox.env, ...GO_CLIENT_ENV, PATH: [dirname(process.execPath), dirname(pair.helm), dirname(pair.kubectl), '/usr/bin', '/bin'].join(':') };
      const inputs = { releases: 'videokit-api, videokit-worker', namespace: sandbox.namespace, context: sandbox.context, timeout: '2m' };

      const dryRun = await runJavaScriptAction({ ...inputs }, { cwd: sandbox.dir, env });
      expect(dryRun.exitCode, dryRun.log).toBe(0);
      expect(dryRun.outputs).toMatchObject({ 'exit-code': '0', outcome: 'planned' });
      expect(sandbox.mutatingRequests()).toEqual([]);
      // The record is JSON Lines; its text log is rendered beside it.
      expect(dryRun.outputs.transcript).toMatch(/\.jsonl$/);
      expect(readFileSync(dryRun.outputs.transcript ?? '', 'utf8').split('\n')[0]).toMatch(/^\{"seq":0,"prev":"[0-9a-f]{64}"/);
      expect(readFileSync(dryRun.outputs.log ?? '', 'utf8')).toMatch(/outcome: planned exit=0/);
      expect(dryRun.summary).toMatch(/^\| videokit-api \| 42 \(deployed\) .* \| 41 \(superseded\) .* \| rollback \|/m);

      const execute = await runJavaScriptAction({ ...inputs, mode: 'execute' }, { cwd: sandbox.dir, env });
      expect(execute.exitCode, execute.log).toBe(0);
      expect(execute.outputs).toMatchObject({ 'exit-code': '0', outcome: 'rolled-back' });
      expect(JSON.parse(readFileSync(execute.outputs.result ?? '', 'utf8')).releases.map((r: { result: string }) => r.result)).toEqual(['rolled-back', 'rolled-back']);
      expect(sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ revision: 43, status: 'deployed', description: 'Rollback to 41' });
      expect(sandbox.releaseHistory('videokit-worker').at(-1)).toMatchObject({ revision: 19, status: 'deployed', description: 'Rollback to 17' });
      expect(execute.summary).toContain('### ✅ videokit-rollback execute: rolled-back (exit 0)');
      expect(execute.log).toContain('--execute --yes');
    });
  });
});
