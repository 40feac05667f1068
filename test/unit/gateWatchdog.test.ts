import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../src/domain/events.js';
import { startBudget, type Clock } from '../../src/process/budget.js';
import { createCommandGate, type RunningCommand } from '../../src/process/gate.js';
import type { CommandRunner } from '../../src/process/runner.js';
import { helmRollback } from '../../src/tools/helm.js';

const target = { context: 'prod-eu-west-1-admin', namespace: 'videokit' };
const clock: Clock = { monotonicMs: () => 0, now: () => new Date('2026-11-26T09:00:00Z') };

function gateWith(runner: CommandRunner) {
  const events: TranscriptEvent[] = [];
  const notes: string[] = [];
  const gate = createCommandGate({
    mode: 'execute',
    runner,
    transcript: { record: (e) => events.push(e) },
    clock,
    budget: startBudget(600_000, clock),
    observer: { started: () => undefined, finished: () => undefined, watchdog: (_id, _spec, message) => notes.push(message) },
  });
  return { gate, events, notes };
}

describe('the gate and the watchdog', () => {
  it('hands the runner the derived grace and records a watchdog event when the child was ended', async () => {
    const seen: { watchdogMs: number; forceKillAfterMs?: number }[] = [];
    const { gate, events, notes } = gateWith({
      run: async (_spec, options) => {
        seen.push(options);
        return { exitCode: null, signal: 'SIGKILL', stdout: '', stderr: '', durationMs: 3_000, timedOut: true };
      },
    });
    await gate.run(helmRollback('helm', target, 'videokit-api', 41, 2_000), { phase: 'rollback', release: 'videokit-api' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ watchdogMs: 3_000, forceKillAfterMs: 1_000 });
    const watchdog = events.find((e) => e.type === 'watchdog');
    expect(watchdog).toEqual({
      type: 'watchdog',
      time: '2026-11-26T09:00:00.000Z',
      id: 1,
      command: 'helm rollback videokit-api 41 --namespace videokit --kube-context prod-eu-west-1-admin --wait --timeout 2s',
      allowedMs: 2_000,
      graceMs: 1_000,
      signal: 'SIGKILL',
      message: 'helm outlived its time (2s) by the 1s grace: the watchdog ended it with SIGKILL',
    });
    expect(notes).toEqual([watchdog?.type === 'watchdog' ? watchdog.message : '']);
    // Recorded between the command's start and its end.
    expect(events.map((e) => e.type)).toEqual(['command-start', 'watchdog', 'command-end']);
  });

  it('no watchdog event for a command that ended by itself', async () => {
    const { gate, events } = gateWith({ run: async () => ({ exitCode: 1, signal: null, stdout: '', stderr: 'Error: x\n', durationMs: 5, timedOut: false }) });
    await gate.run(helmRollback('helm', target, 'videokit-api', 41, 2_000), { phase: 'rollback', release: 'videokit-api' });
    expect(events.map((e) => e.type)).toEqual(['command-start', 'command-end']);
  });

  it('lists the commands in flight, and forgets them when they end, even if the runner throws', async () => {
    let release: () => void = () => undefined;
    const during: RunningCommand[][] = [];
    const { gate } = gateWith({
      run: () =>
        new Promise((resolve, reject) => {
          release = () => reject(new Error('runner broke'));
          void resolve;
        }),
    });
    const pending = gate.run(helmRollback('helm', target, 'videokit-api', 41, 60_000), { phase: 'rollback', release: 'videokit-api' });
    during.push(gate.running());
    release();
    await expect(pending).rejects.toThrow('runner broke');
    expect(during[0]).toEqual([{ id: 1, phase: 'rollback', release: 'videokit-api', effect: 'write', command: expect.stringMatching(/^helm rollback videokit-api 41 /) }]);
    expect(gate.running()).toEqual([]);
  });
});
