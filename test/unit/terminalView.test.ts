import { describe, expect, it } from 'vitest';
import type { RecordedPlan } from '../../src/domain/plan.js';
import type { CommandRecord } from '../../src/process/gate.js';
import type { RunEvent } from '../../src/views/runEvents.js';
import { runFacts } from '../../src/views/runFacts.js';
import { makeChalk } from '../../src/views/style.js';
import { createTerminalView } from '../../src/views/terminalView.js';
import { confirmQuestion } from '../../src/views/confirmQuestion.js';
import { createProgress } from '../../src/views/progress.js';

const T = '2026-11-26T09:00:00.000Z';
const options = { mode: 'execute' as const, targetEnv: 'prod-eu-west-1', atomic: false, checkUrls: [], annotate: undefined };

function show(events: readonly RunEvent[], textOutput = true) {
  let stdout = '';
  const notes: string[] = [];
  const view = createTerminalView(options, { writeOut: (text) => void (stdout += text), note: (text) => void notes.push(text), chalk: makeChalk(false), textOutput });
  for (const event of events) view.emit(event);
  return { stdout, notes };
}

const rolled: RunEvent = {
  type: 'rolled-back',
  releases: [{ release: 'videokit-api', result: 'rolled-back', from: 42, to: 41, pods: null }],
  readiness: [],
  restore: null,
};
const left: RunEvent = { type: 'restore-commands', restoreCommands: ['helm rollback videokit-api 42 --namespace videokit'], failedStage: undefined };

describe('the terminal view: the run on a terminal, from its events', () => {
  it('says on stderr what the record says as it happens, escaping what came from outside', () => {
    const { stdout, notes } = show([
      { type: 'context-resolved', time: T, context: 'prod\u001b[2J', source: 'kubeconfig' },
      { type: 'warning', time: T, message: 'no TARGET_ENV' },
      { type: 'nothing-to-confirm' },
    ]);
    expect(stdout).toBe('');
    expect(notes).toEqual(['context resolved from the kubeconfig: prod\\x1b[2J', 'warning: no TARGET_ENV', 'nothing to write: no confirmation needed']);
  });

  it('asks before writing, naming how many releases change and where, the context escaped', () => {
    expect(confirmQuestion({ rollbacks: 2, drill: false, context: 'prod\u001b]0;x\u0007', namespace: 'videokit' })).toBe(
      'Roll back 2 release(s) in prod\\x1b]0;x\\x07/videokit? Type "yes" to go ahead: ',
    );
    expect(confirmQuestion({ rollbacks: 1, drill: true, context: 'c', namespace: 'n' })).toBe('Drill: roll back 1 release(s) and forward again in c/n? Type "yes" to go ahead: ');
  });

  it('shows the summary only once the run says what is left to do; a rollback lists the restore commands', () => {
    const before = show([rolled]);
    expect(before.stdout).toBe('');
    const { stdout } = show([rolled, left]);
    expect(stdout).toMatch(/videokit-api/);
    expect(stdout).toContain('helm rollback videokit-api 42 --namespace videokit');
    expect(stdout).not.toMatch(/[Ff]orward/);
  });

  it('a drill that rolled forward shows the forward summary with what is left; --output json shows nothing on stdout', () => {
    const forwarded: RunEvent = { type: 'rolled-forward', forward: [{ release: 'videokit-api', result: 'rolled-forward', from: 41, to: 42, pods: null }] };
    const { stdout } = show([rolled, forwarded, { ...left, restoreCommands: [] }]);
    expect(stdout).toMatch(/forward/i);
    expect(show([rolled, forwarded, left], false).stdout).toBe('');
  });
});

describe('the run facts: what the JSON document shows, folded from the events', () => {
  const record = (id: number): CommandRecord => ({
    id, phase: 'plan', release: null, effect: 'read', command: `cmd ${id}`, argv: ['cmd'],
    result: { exitCode: 0, signal: null, stdout: '', stderr: '', durationMs: 1, timedOut: false },
  });
  const start = (id: number): RunEvent => ({ type: 'command-start', time: T, id, phase: 'plan', release: null, effect: 'read', command: `cmd ${id}` });

  it('lists commands as they started though they ended in another order, and knows which are still running', () => {
    const facts = runFacts([start(1), start(2), start(3), { type: 'command-end', time: T, id: 2, exitCode: 0, signal: null, durationMs: 1, timedOut: false, spawnError: null }, { type: 'command-record', record: record(2), purpose: 'read' }, { type: 'command-record', record: record(1), purpose: 'read' }]);
    expect(facts.commands.map((c) => c.id)).toEqual([1, 2]);
    expect(facts.running.map((c) => c.id)).toEqual([1, 3]);
  });

  it('keeps the plan, the warnings, the results and what is left to run, as the events said them', () => {
    const plan = { schemaVersion: 1, context: 'c', namespace: 'n', releases: [] } as unknown as RecordedPlan;
    const facts = runFacts([{ type: 'plan', time: T, plan }, { type: 'warning', time: T, message: 'a' }, { type: 'warning', time: T, message: 'b' }, rolled, { ...left, failedStage: 'rollback' }]);
    expect(facts).toMatchObject({ plan, warnings: ['a', 'b'], releases: [{ release: 'videokit-api', result: 'rolled-back' }], restoreCommands: ['helm rollback videokit-api 42 --namespace videokit'], failedStage: 'rollback' });
  });
});

describe('progress: each command as it runs, from its events', () => {
  it('shows the command when it starts and its verdict with what it was for when its record is kept', () => {
    let stderr = '';
    const progress = createProgress((text) => void (stderr += text), makeChalk(false), undefined);
    progress.emit({ type: 'command-start', time: T, id: 7, phase: 'rollback', release: 'videokit-api', effect: 'write', command: 'helm rollback videokit-api 41' });
    expect(stderr).toBe('$ helm rollback videokit-api 41\n');
    progress.emit({ type: 'watchdog', time: T, id: 7, command: 'helm rollback videokit-api 41', allowedMs: 1000, graceMs: 1000, signal: 'SIGTERM', message: 'helm outlived its time' });
    const result = { exitCode: null, signal: 'SIGTERM', stdout: '', stderr: '', durationMs: 2_500, timedOut: true };
    progress.emit({ type: 'command-record', purpose: 'roll back videokit-api', record: { id: 7, phase: 'rollback', release: 'videokit-api', effect: 'write', command: 'helm rollback videokit-api 41', argv: [], result } });
    expect(stderr).toBe('$ helm rollback videokit-api 41\n  watchdog: helm outlived its time\n  FAILED roll back videokit-api (stopped by the watchdog, 2.5s)\n');
  });
});
