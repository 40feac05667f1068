import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { REDIRECTING_HELM_VARIABLES } from '../../src/domain/helmEnvironment.js';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { MATRIX, requireBinaries } from '../support/binaries.js';
import { DRILL_ARGS } from '../support/drillRules.js';
import { startLocalServer, type LocalServer } from '../support/httpServer.js';
import { runAgainst, scenario } from '../support/sandboxRun.js';

/**
 * helm's own environment can point it at another API server, or another identity, than
 * the kubeconfig context kubectl uses. With any such variable set the run is refused
 * before any command: no request reaches the sandbox, nor the server the variable names.
 */
type Event = Record<string, unknown> & { type: string };
const eventsOf = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Event);

describe.each(MATRIX)('helm environment redirects ($name)', (pair) => {
  let sandbox: Sandbox;
  let elsewhere: LocalServer;
  beforeAll(async () => {
    requireBinaries([pair]);
    sandbox = await startSandbox({ scenario: scenario('drill') });
    elsewhere = await startLocalServer(() => ({ status: 500 }));
  });
  afterAll(async () => {
    await sandbox.stop();
    await elsewhere.close();
  });

  it.each(Object.keys(REDIRECTING_HELM_VARIABLES))('%s: exit 2, named with its kubeconfig field, zero requests to either server', async (name) => {
    const value = name === 'HELM_KUBEAPISERVER' ? elsewhere.url : name === 'HELM_KUBEINSECURE_SKIP_TLS_VERIFY' ? 'true' : 'x-value';
    const transcript = `${name}.jsonl`;
    const run = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes', '--timeout', '1m', '--transcript', transcript], { [name]: value });
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`videokit-rollback: error: ${name} is set: helm would use it instead of the kubeconfig`);
    expect(run.stderr).toContain(`  ${name}: put it in the kubeconfig as ${REDIRECTING_HELM_VARIABLES[name]}`);
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(sandbox.requests()).toEqual([]);
    expect(elsewhere.requests).toEqual([]);
    const events = eventsOf(join(sandbox.dir, transcript));
    expect(events.map((e) => e.type)).toEqual(['run-start', 'environment-check', 'outcome', 'seal']);
    expect(events[1]).toMatchObject({ refused: [name], overridden: [] });
    expect(events[2]).toMatchObject({ status: 'refused', exitCode: 2 });
  });

  it('HELM_NAMESPACE, HELM_KUBECONTEXT and the kubeconfig namespace decide nothing: every call names both', async () => {
    // A kubeconfig whose context defaults to another namespace.
    const kubeconfig = join(sandbox.dir, 'elsewhere-kubeconfig');
    const doc = parseDocument(readFileSync(sandbox.kubeconfigPath, 'utf8'));
    doc.setIn(['contexts', 0, 'context', 'namespace'], 'elsewhere');
    writeFileSync(kubeconfig, doc.toString(), { mode: 0o600 });
    const before = sandbox.requests().length;
    const run = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes', '--timeout', '1m', '--transcript', 'overridden.jsonl'], {
      KUBECONFIG: kubeconfig,
      HELM_NAMESPACE: 'elsewhere',
      HELM_KUBECONTEXT: 'no-such-context',
    });
    expect(run.exitCode).toBe(0);
    const namespaced = sandbox.requests().slice(before).filter((r) => r.path.includes('/namespaces/'));
    expect(namespaced.length).toBeGreaterThan(0);
    expect(namespaced.filter((r) => !r.path.includes('/namespaces/videokit/'))).toEqual([]);
    expect(sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ revision: 43, description: 'Rollback to 41' });
    const check = eventsOf(join(sandbox.dir, 'overridden.jsonl')).find((e) => e.type === 'environment-check');
    expect(check).toMatchObject({ refused: [], overridden: ['HELM_KUBECONTEXT', 'HELM_NAMESPACE'] });
  }, 60_000);
});
