import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RollbackFailure } from '../../src/domain/errors.js';
import type { TranscriptEvent } from '../../src/domain/events.js';
import { startBudget, type Clock } from '../../src/process/budget.js';
import { createCommandGate, WATCHDOG_GRACE_MS, type CommandRecord } from '../../src/process/gate.js';
import { helmGetManifest, helmHistory, helmRollback } from '../../src/tools/helm.js';
import { kubectlGetPods, kubectlRolloutStatus } from '../../src/tools/kubectl.js';
import { recordingRunner } from '../support/recordingRunner.js';

const target = { context: 'prod-eu-west-1-admin', namespace: 'videokit' };
const clock: Clock = { monotonicMs: () => 0, now: () => new Date('2026-11-26T09:00:00Z') };
const silent = { started: () => undefined, finished: () => undefined };

function gateFor(mode: 'dry-run' | 'execute', runner = recordingRunner([])) {
  const events: TranscriptEvent[] = [];
  const records: CommandRecord[] = [];
  const gate = createCommandGate({
    mode,
    runner,
    transcript: { record: (e) => events.push(e) },
    clock,
    budget: startBudget(600_000, clock),
    observer: { ...silent, recorded: (record) => void records.push(record) },
  });
  return { gate, events, runner, records };
}

describe('the command gate', () => {
  it('refuses a write command during a dry-run without reaching the runner', async () => {
    const { gate, runner, events } = gateFor('dry-run');
    const write = helmRollback('helm', target, 'videokit-api', 41, 60_000);
    await expect(gate.run(write, { phase: 'rollback', release: 'videokit-api' })).rejects.toThrow(RollbackFailure);
    expect(runner.calls).toEqual([]);
    expect(events).toEqual([]);
  });

  it('runs reads in a dry-run and records start, output and end in the transcript', async () => {
    const spec = helmHistory('helm', target, 'videokit-api');
    const { gate, events, records } = gateFor('dry-run', recordingRunner([{ args: [...spec.args], result: { stdout: '[]', durationMs: 42 } }]));
    const result = await gate.run(spec, { phase: 'plan', release: 'videokit-api' });
    expect(result.stdout).toBe('[]');
    expect(events.map((e) => e.type)).toEqual(['command-start', 'command-output', 'command-end']);
    expect(events[0]).toMatchObject({
      id: 1,
      effect: 'read',
      command: 'helm history videokit-api --namespace videokit --kube-context prod-eu-west-1-admin --output json --max 256',
    });
    expect(events[1]).toMatchObject({ id: 1, stream: 'stdout', text: '[]' });
    expect(events[2]).toMatchObject({ id: 1, exitCode: 0, durationMs: 42 });
    expect(records).toHaveLength(1);
  });

  it('runs writes when executing, with a watchdog past the command\'s own timeout', async () => {
    const spec = helmRollback('helm', target, 'videokit-api', 41, 60_000);
    const { gate, runner } = gateFor('execute', recordingRunner([{ args: [...spec.args] }]));
    await gate.run(spec, { phase: 'rollback', release: 'videokit-api' });
    expect(runner.calls[0]?.options.watchdogMs).toBe(60_000 + WATCHDOG_GRACE_MS);
  });

  it('asks the runner to keep parsed output whole, the head of a rollback or Pod listing, the tail of a rollout', async () => {
    const specs = [
      helmHistory('helm', target, 'videokit-api'),
      helmRollback('helm', target, 'videokit-api', 41, 60_000),
      kubectlRolloutStatus('kubectl', target, { kind: 'Deployment', name: 'videokit-api' }, 60_000),
      kubectlGetPods('kubectl', target, 'videokit-api', 60_000),
    ];
    const { gate, runner } = gateFor('execute', recordingRunner(specs.map((spec) => ({ args: [...spec.args] }))));
    for (const spec of specs) await gate.run(spec, { phase: 'rollback', release: 'videokit-api' });
    expect(runner.calls.map((call) => call.options.keep)).toEqual([
      { from: 'head', chars: 64 * 1024 * 1024 },
      { from: 'head', chars: 1024 * 1024 },
      { from: 'tail', chars: 64 * 1024 },
      { from: 'head', chars: 1024 * 1024 },
    ]);
  });

  it('withholds the output of a sensitive command from the transcript and the records, but hands it to the caller', async () => {
    const spec = helmGetManifest('helm', target, 'videokit-api', 41);
    const manifest = 'kind: Secret\ndata:\n  password: aHVudGVyMg==\n';
    const { gate, events, records } = gateFor('dry-run', recordingRunner([{ args: [...spec.args], result: { stdout: manifest } }]));
    const result = await gate.run(spec, { phase: 'plan', release: 'videokit-api' });
    expect(result.stdout).toBe(manifest);
    const withheld = '(withheld: 44 bytes, sha256 ' + createHash('sha256').update(manifest).digest('hex') + '; may hold Secret data)\n';
    // Output streams in command-output events; a sensitive command's stdout only as its digest.
    expect(events.filter((e) => e.type === 'command-output')).toEqual([expect.objectContaining({ id: 1, stream: 'stdout', text: withheld })]);
    expect(records[0]?.result.stdout).toBe(withheld);
    expect(JSON.stringify([events, records])).not.toContain('aHVudGVyMg==');
  });
});
