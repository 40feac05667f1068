import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBinaries } from '../support/binaries.js';
import { NEWEST } from '../support/pairs.js';
import { waitFor } from '../support/cli.js';
import { startJavaScriptAction } from '../support/javascriptAction.js';
import { GO_CLIENT_ENV, withSandbox, helmWrote } from '../support/sandboxRun.js';

/**
 * A cancelled job: the runner signals the action's process (SIGINT first). The tool runs
 * in that process, so the signal reaches its own handling: `helm rollback` is left to
 * finish (killing it would leave the release pending-rollback), nothing later runs, and
 * the action exits 130 with its outputs written.
 */
describe.each(NEWEST)('the GitHub Action cancelled during helm rollback ($name)', (pair) => {
  beforeAll(() => requireBinaries([pair]));

  it('lets the rollback finish, exits 130, and leaves no release pending', async () => {
    await withSandbox('drill', async (sandbox) => {
      // Pods take 2 s to become ready, so helm's --wait is still waiting when SIGINT arrives.
      sandbox.faults.setPodReadyDelayMs(2_000);
      const action = startJavaScriptAction(
        {
          releases: 'videokit-api\nvideokit-worker',
          namespace: sandbox.namespace,
          context: sandbox.context,
          'target-env': 'prod-eu-west-1',
          mode: 'execute',
          timeout: '2m',
          helm: pair.helm,
          kubectl: pair.kubectl,
        },
        { cwd: sandbox.dir, env: { ...sandbox.env, ...GO_CLIENT_ENV, PATH: [dirname(process.execPath), '/usr/bin', '/bin'].join(':') } },
      );
      // helm rollback has written to the cluster: it is running now.
      await waitFor('helm rollback to write', () => helmWrote(sandbox), 60_000);
      action.child.kill('SIGINT');
      const result = await action.child;

      expect(result.exitCode, result.all).toBe(130);
      expect(result.all).toContain('SIGINT received');
      const outputs = action.outputs();
      expect(outputs).toMatchObject({ 'exit-code': '130', outcome: 'interrupted' });
      const transcript = readFileSync(outputs.transcript ?? '', 'utf8');
      expect(transcript).toMatch(/helm rollback videokit-api 41 /);
      expect(transcript).not.toMatch(/helm rollback videokit-worker/);
      const document = JSON.parse(readFileSync(outputs.result ?? '', 'utf8')) as { outcome: { status: string; exitCode: number } };
      expect(document.outcome).toMatchObject({ status: 'interrupted', exitCode: 130 });

      // The rollback finished: a deployed "Rollback to 41", nothing pending; the worker untouched.
      const api = sandbox.releaseHistory('videokit-api');
      expect(api.at(-1)).toMatchObject({ revision: 43, status: 'deployed', description: 'Rollback to 41' });
      expect(api.filter((revision) => revision.status.startsWith('pending'))).toEqual([]);
      expect(sandbox.releaseHistory('videokit-worker').at(-1)).toMatchObject({ revision: 18, status: 'deployed' });
    });
  });
});
