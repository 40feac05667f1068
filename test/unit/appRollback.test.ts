import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/cli/config.js';
import { runRollback } from '../../src/app/rollback.js';
import type { PerformDeps } from '../../src/app/runContext.js';
import { outcomeOf } from '../../src/domain/outcome.js';
import { createInterruptController } from '../../src/process/interrupt.js';
import { fanOut, type RunEvent } from '../../src/views/runEvents.js';
import { deferredTranscript } from '../../src/views/transcript.js';
import { CTX, NS } from '../support/drillRules.js';
import { DRILL_WRITES, fakeClock, forwarded, identityReads, reads, RELEASES, rollback, statesOf, status, unlock, verified } from '../support/flowExpectations.js';
import { flags } from '../support/flags.js';
import { recordingRunner, type Expectation } from '../support/recordingRunner.js';

/**
 * The app layer alone: a RunConfig in, events out to a sink, one RunOutcome back. No
 * terminal, no commander (a dry-run without --transcript keeps no record; an --execute
 * writes its record in a temporary directory).
 */
async function app(options: Record<string, unknown>, expectations: Expectation[], env: NodeJS.ProcessEnv = {}) {
  const config = resolveConfig(flags({ release: [...RELEASES], namespace: NS, context: CTX, targetEnv: 'prod-eu-west-1', ...options }), env);
  const clock = fakeClock();
  const recording = recordingRunner([...identityReads(), ...expectations]);
  const events: RunEvent[] = [];
  const record = deferredTranscript();
  const deps: PerformDeps = {
    argv: [],
    // An --execute keeps its record under the working directory: a fresh one per run.
    cwd: mkdtempSync(join(tmpdir(), 'vkr-app-')),
    runner: { run: (spec, runOptions) => (clock.advance(1_000), recording.run(spec, runOptions)) },
    clock,
    tool: { name: 'videokit-rollback', version: '0.0.0-test' },
    interrupts: createInterruptController(config.mode),
    confirm: async () => false,
    interactive: false,
    env,
    redact: (text) => text,
    findExecutable: (file) => `/opt/bin/${file}`,
    record,
    sink: fanOut(record, { emit: (event) => void events.push(event) }),
  };
  const { outcome } = await runRollback(config, deps);
  const shown = events.filter((e) => ['settings', 'reviewed', 'nothing-to-confirm', 'forward-after-failure', 'rolled-back', 'rolled-forward', 'restore-commands'].includes(e.type));
  return { outcome, events, shown: shown.map((e) => e.type), remaining: recording.remaining() };
}

describe('the app layer: events to a sink, one outcome back', () => {
  it('a dry-run emits the plan for review and returns a planned outcome, writing nothing', async () => {
    const result = await app({ dryRun: true }, reads());
    expect(result.remaining).toEqual([]);
    expect(result.outcome).toMatchObject({ mode: 'dry-run', failure: undefined, releases: [], restoreCommands: [] });
    expect(outcomeOf(result.outcome)).toMatchObject({ status: 'planned', exitCode: 0 });
    expect(result.shown).toEqual(['settings', 'settings', 'reviewed']);
    const reviewed = result.events.find((e) => e.type === 'reviewed');
    // Each rollback inside its release's lock; the dry-run lists the lock's commands and runs neither.
    expect(reviewed?.type === 'reviewed' && reviewed.plannedCommands.filter((c) => c.effect === 'write').map((c) => c.argv.slice(1, 4))).toEqual(DRILL_WRITES);
    // The record lists the same commands the review shows, one event each.
    expect(result.events.filter((e) => e.type === 'command-planned').map((e) => (e.type === 'command-planned' ? e.command : ''))).toEqual(
      reviewed?.type === 'reviewed' ? reviewed.plannedCommands.map((c) => c.command) : [],
    );
  });

  it('--execute returns each release result and the commands that put them back; the summary is due once the states are read', async () => {
    const result = await app({ execute: true, yes: true }, [...reads(), ...verified('videokit-api', 41), ...verified('videokit-worker', 17), ...statesOf(...RELEASES)]);
    expect(result.remaining).toEqual([]);
    expect(result.outcome.releases.map((r) => `${r.release}:${r.result}`)).toEqual(['videokit-api:rolled-back', 'videokit-worker:rolled-back']);
    expect(result.outcome.restoreCommands).toEqual([
      expect.stringMatching(/^helm rollback videokit-api 42 /),
      expect.stringMatching(/^helm rollback videokit-worker 18 /),
    ]);
    expect(outcomeOf(result.outcome)).toMatchObject({ status: 'rolled-back', exitCode: 0 });
    const types = result.events.map((e) => e.type);
    // The summary's trigger comes after the state reads that follow the rollback stage.
    expect(types.lastIndexOf('release-state')).toBeLessThan(types.indexOf('restore-commands'));
    expect(types.indexOf('rolled-back')).toBeLessThan(types.indexOf('release-state', types.indexOf('rolled-back')));
    // Every command's kept record reaches the views, in the order the commands started.
    const ids = result.events.flatMap((e) => (e.type === 'command-record' ? [e.record.id] : []));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
  });

  it('a drill whose roll forward fails ends with the forward stage decided: forward-failed, exit 4, what is left to run by hand', async () => {
    const broken = rollback('videokit-worker', 18, { exitCode: 1, stdout: '', stderr: 'Error: timed out waiting for the condition\n' });
    const result = await app(
      { execute: true, yes: true, drill: true },
      [...reads(), ...verified('videokit-api', 41), ...verified('videokit-worker', 17), ...statesOf(...RELEASES), ...forwarded('videokit-api', 42), broken, ...statesOf(...RELEASES)],
    );
    expect(result.remaining).toEqual([]);
    expect(result.outcome.failedStage).toBe('forward');
    expect(result.outcome.failure?.kind).toBe('rollback');
    expect(outcomeOf(result.outcome)).toMatchObject({ status: 'forward-failed', exitCode: 4 });
    expect(result.outcome.restoreCommands).toEqual([expect.stringMatching(/^helm rollback videokit-worker 18 /)]);
    expect(result.shown).toEqual(['settings', 'settings', 'reviewed', 'rolled-back', 'rolled-forward', 'restore-commands']);
  });

  it('a drill whose rollback fails still rolls forward what it touched, and says so first', async () => {
    const result = await app(
      { execute: true, yes: true, drill: true },
      [
        ...reads(), ...verified('videokit-api', 41).slice(0, 3), status('videokit-api', { exitCode: 1, stdout: '', stderr: 'error: timed out\n' }), unlock('videokit-api'),
        ...statesOf('videokit-api'), ...forwarded('videokit-api', 42), ...statesOf('videokit-api'),
      ],
    );
    expect(result.remaining).toEqual([]);
    expect(result.outcome.failedStage).toBe('rollback');
    expect(outcomeOf(result.outcome)).toMatchObject({ status: 'unhealthy', exitCode: 5 });
    expect(result.shown).toEqual(['settings', 'settings', 'reviewed', 'rolled-back', 'forward-after-failure', 'rolled-forward', 'restore-commands']);
  });

  it('a refusal is returned, not thrown: the TARGET_ENV guard runs no command and emits nothing', async () => {
    const result = await app({ execute: true, yes: true, targetEnv: 'staging' }, []);
    expect(result.outcome.failure?.kind).toBe('usage');
    expect(outcomeOf(result.outcome)).toMatchObject({ status: 'refused', exitCode: 2 });
    expect(result.events).toEqual([]);
  });
});
