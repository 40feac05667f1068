import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFaked } from '../support/inProcessCli.js';
import { CTX, DRILL_ARGS, NS, drillRules, normaliseTimeouts } from '../support/drillRules.js';
import { createFakeTools, type FakeRule } from '../support/fakeTools.js';
import { readRecord } from '../support/record.js';

function setup(overrides: FakeRule[]) {
  const fake = createFakeTools(drillRules({ overrides }));
  const cwd = mkdtempSync(join(tmpdir(), 'vkr-atomic-'));
  const run = (args: string[]) => runFaked(fake, args, { cwd, env: fake.env });
  return { fake, cwd, run };
}

const helmScope = ['--namespace', NS, '--kube-context', CTX];
const kubectlScope = ['--namespace', NS, '--context', CTX];
const workerRollbackFails: FakeRule = { tool: 'helm', prefix: ['rollback', 'videokit-worker', '17'], stderr: 'Error: UPGRADE FAILED: timed out waiting for the condition\n', exitCode: 1 };

describe('--atomic against the fake binaries', () => {
  it('4: worker fails, so worker and then api are rolled forward to 18 and 42; the transcript shows the restore phase', async () => {
    const { fake, run, cwd } = setup([workerRollbackFails]);
    const transcript = join(cwd, 'atomic.jsonl');
    const result = await run([...DRILL_ARGS, '--execute', '--yes', '--atomic', '--transcript', transcript]);
    expect(result.exitCode).toBe(4);
    // After the rollback stage (and its restore) the tool re-reads each touched release's state for the report.
    const isStateRead = (argv: string[]) => argv[0] === 'history' || (argv[0] === 'get' && argv[1] === 'deployments,statefulsets,daemonsets');
    const afterPlanning = fake.calls().slice(4);
    expect(afterPlanning.slice(-4).every((c) => isStateRead(c.argv))).toBe(true);
    const lock = (verb: string, release: string) => ['kubectl', verb, 'configmap', `videokit-rollback-lock.${release}`];
    expect(afterPlanning.filter((c) => !isStateRead(c.argv)).map((c) => (c.argv[1] === 'configmap' ? [c.tool, ...c.argv.slice(0, 3)] : [c.tool, ...normaliseTimeouts(c.argv)]))).toEqual([
      lock('create', 'videokit-api'),
      ['helm', 'rollback', 'videokit-api', '41', ...helmScope, '--wait', '--timeout', '<duration>'],
      ['kubectl', 'rollout', 'status', 'deployment/videokit-api', ...kubectlScope, '--timeout', '<duration>'],
      ['kubectl', 'get', 'pods', ...kubectlScope, '--selector', 'app.kubernetes.io/instance=videokit-api', '--output', 'wide', '--request-timeout', '<duration>'],
      lock('delete', 'videokit-api'),
      lock('create', 'videokit-worker'),
      ['helm', 'rollback', 'videokit-worker', '17', ...helmScope, '--wait', '--timeout', '<duration>'],
      lock('delete', 'videokit-worker'),
      // the restore: last changed first, explicit revisions, the same waits
      ['helm', 'rollback', 'videokit-worker', '18', ...helmScope, '--wait', '--timeout', '<duration>'],
      ['kubectl', 'rollout', 'status', 'deployment/videokit-worker', ...kubectlScope, '--timeout', '<duration>'],
      ['helm', 'rollback', 'videokit-api', '42', ...helmScope, '--wait', '--timeout', '<duration>'],
      ['kubectl', 'rollout', 'status', 'deployment/videokit-api', ...kubectlScope, '--timeout', '<duration>'],
    ]);
    expect(result.stderr).toMatch(/--atomic restored videokit-worker to 18, videokit-api to 42/);
    expect(result.stdout).toMatch(/Restore \(--atomic\) complete/);
    expect(result.stdout).toMatch(/videokit-api: restored to revision 42/);
    const events = readRecord(transcript);
    expect(events.find((e) => e.type === 'restore-start')).toMatchObject({ releases: [{ release: 'videokit-worker', to: 18 }, { release: 'videokit-api', to: 42 }], budget: '10m0s' });
    expect(events.filter((e) => e.type === 'command-start' && e.phase === 'restore').map((e) => e.argv.slice(1, 4).join(' '))).toEqual([
      'rollback videokit-worker 18', 'rollout status deployment/videokit-worker', 'rollback videokit-api 42', 'rollout status deployment/videokit-api',
    ]);
    expect(events.find((e) => e.type === 'restore-end')).toMatchObject({ ok: true, manualCommands: [] });
    expect(events.at(-1)).toMatchObject({ type: 'outcome', exitCode: 4 });
  });

  it('6: the restore of worker fails too; api is still restored and the commands a human must run are printed', async () => {
    const { run } = setup([
      workerRollbackFails,
      { tool: 'helm', prefix: ['rollback', 'videokit-worker', '18'], stderr: 'Error: another operation (install/upgrade/rollback) is in progress\n', exitCode: 1 },
    ]);
    const result = await run([...DRILL_ARGS, '--execute', '--yes', '--atomic', '--output', 'json']);
    expect(result.exitCode).toBe(6);
    const doc = JSON.parse(result.stdout);
    expect(doc.outcome.status).toBe('restore-failed');
    expect(doc.restore.releases).toEqual([
      { release: 'videokit-worker', result: 'restore-failed', to: 18, reason: 'helm rollback videokit-worker 18 exited 1: Error: another operation (install/upgrade/rollback) is in progress' },
      { release: 'videokit-api', result: 'restored', to: 42 },
    ]);
    const manual = [
      `helm rollback videokit-worker 18 --namespace ${NS} --kube-context ${CTX} --wait --timeout 10m0s`,
      `kubectl rollout status deployment/videokit-worker --namespace ${NS} --context ${CTX} --timeout 10m0s`,
    ];
    expect(doc.restore.manualCommands).toEqual(manual);
    expect(doc.restoreCommands).toEqual(manual);
    expect(result.stderr).toContain(`  ${manual[0]}`);
    expect(doc.commands.filter((c: { phase: string }) => c.phase === 'restore')).toHaveLength(3);
  });

  it('--help documents --atomic and exit 6', async () => {
    const { run } = setup([]);
    const help = await run(['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/--atomic\s+all or nothing/);
    expect(help.stdout).toMatch(/^ {2}6 {4}--atomic: the restore of the releases already changed failed too/m);
  });

  it('without --atomic nothing is restored (the summary only prints the way back)', async () => {
    const { fake, run } = setup([workerRollbackFails]);
    const result = await run([...DRILL_ARGS, '--execute', '--yes']);
    expect(result.exitCode).toBe(4);
    expect(fake.calls().filter((c) => c.argv[0] === 'rollback').map((c) => `${c.argv[1]} ${c.argv[2]}`)).toEqual(['videokit-api 41', 'videokit-worker 17']);
  });
});
