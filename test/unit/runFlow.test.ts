import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/runCli.js';
import type { TranscriptEvent } from '../../src/domain/events.js';
import type { CommandRunner } from '../../src/process/runner.js';
import { parseTranscript } from '../../src/views/report/transcriptSchema.js';
import { DRILL_ARGS } from '../support/drillRules.js';
import { compare, DRILL_WRITES, fakeClock, forwarded, identityReads, lock, reads, RELEASES, rollback, statesOf, status, unlock, verified } from '../support/flowExpectations.js';
import { historyJson } from '../support/history.js';
import { recordingRunner, type Expectation, type RecordingRunner } from '../support/recordingRunner.js';

/**
 * The whole run in this process: commander, config, the app's steps, the gate and the
 * views, with a recording runner (any unexpected command fails) and a fake clock. The
 * subprocess tests keep one case per CLI concern; the branches of the flow are here.
 */
interface FlowOptions {
  readonly confirm?: boolean;
  readonly env?: Record<string, string>;
  /** Called as each command starts, with the signal handler the CLI registered. */
  readonly onCommand?: (args: readonly string[], signal: (name: 'SIGINT' | 'SIGTERM') => void) => void;
  /** Given: a second signal may end the process at once (it is told the exit code). */
  readonly exitNow?: (code: number) => void;
}

async function run(args: string[], expectations: Expectation[], options: FlowOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'vkr-flow-'));
  const transcript = join(dir, 'run.jsonl');
  const clock = fakeClock();
  const recording = recordingRunner([...identityReads(), ...expectations]);
  let handler: ((signal: 'SIGINT' | 'SIGTERM') => void) | undefined;
  const runner: CommandRunner = {
    run: (spec, runOptions) => {
      clock.advance(1_000);
      options.onCommand?.(spec.args, (signal) => handler?.(signal));
      return recording.run(spec, runOptions);
    },
  };
  let stdout = '';
  let stderr = '';
  const exitCode = await runCli({
    argv: [...args, '--transcript', transcript],
    env: { PATH: '/usr/bin:/bin', ...options.env },
    cwd: dir,
    stdout: { write: (text) => void (stdout += text), isTTY: false },
    stderr: { write: (text) => void (stderr += text), isTTY: options.confirm !== undefined },
    stdinIsTTY: options.confirm !== undefined,
    runner,
    clock,
    tool: { name: 'videokit-rollback', version: '0.0.0-test' },
    findExecutable: (file) => `/opt/bin/${file}`,
    confirm: async () => options.confirm ?? false,
    onSignal: (h) => {
      handler = h;
      return () => (handler = undefined);
    },
    ...(options.exitNow === undefined ? {} : { exitNow: options.exitNow }),
  });
  const events: TranscriptEvent[] = (() => {
    try {
      return parseTranscript(readFileSync(transcript, 'utf8')).events;
    } catch {
      return [];
    }
  })();
  const outcome = events.find((e) => e.type === 'outcome');
  return { exitCode, stdout, stderr, events, outcome, runner: recording as RecordingRunner };
}

const json = (stdout: string) => JSON.parse(stdout) as { outcome: { status: string; exitCode: number }; releases: { release: string; result: string }[] };

describe('a run, in process', () => {
  it('a dry-run reads, plans and lists the writes, running none of them', async () => {
    const result = await run([...DRILL_ARGS, '--dry-run', '--output', 'json'], reads());
    expect(result.exitCode).toBe(0);
    expect(result.runner.remaining()).toEqual([]);
    expect(result.runner.calls.every((c) => c.spec.effect === 'read')).toBe(true);
    expect(json(result.stdout).outcome).toMatchObject({ status: 'planned', exitCode: 0 });
  });

  it('--execute rolls each release back and verifies it, in plan order; JSON and transcript agree on the outcome', async () => {
    const result = await run([...DRILL_ARGS, '--execute', '--yes', '--output', 'json'], [...reads(), ...verified('videokit-api', 41), ...verified('videokit-worker', 17), ...statesOf(...RELEASES)]);
    expect(result.exitCode).toBe(0);
    expect(result.runner.remaining()).toEqual([]);
    expect(result.runner.calls.filter((c) => c.spec.effect === 'write').map((c) => c.spec.args.slice(0, 3))).toEqual(DRILL_WRITES);
    expect(json(result.stdout).outcome).toMatchObject({ status: 'rolled-back', exitCode: 0 });
    expect(result.outcome).toMatchObject({ status: 'rolled-back', exitCode: 0 });
  });

  it('an error after the writes began still reports what changed and how to put it back', async () => {
    // The states-after reads are not expected: the recording runner throws on the first one,
    // after both rollbacks, as any unforeseen error would.
    const result = await run([...DRILL_ARGS, '--execute', '--yes', '--output', 'json'], [...reads(), ...verified('videokit-api', 41), ...verified('videokit-worker', 17)]);
    const doc = JSON.parse(result.stdout) as { releases: { release: string; result: string }[]; restoreCommands: string[] };
    expect(doc.releases.map((r) => [r.release, r.result])).toEqual([
      ['videokit-api', 'rolled-back'],
      ['videokit-worker', 'rolled-back'],
    ]);
    expect(doc.restoreCommands.map((c) => c.split(' ').slice(1, 4).join(' '))).toEqual(['rollback videokit-api 42', 'rollback videokit-worker 18']);
    expect(result.outcome).toMatchObject({ restoreCommands: doc.restoreCommands });
  });

  it('a drill rolls back, then forward to the revisions before it, and ends drilled', async () => {
    const stateReads = [...statesOf(...RELEASES), ...statesOf(...RELEASES)];
    const result = await run(
      [...DRILL_ARGS, '--execute', '--yes', '--drill'],
      [...reads(), ...stateReads, ...verified('videokit-api', 41), ...verified('videokit-worker', 17), ...forwarded('videokit-api', 42), ...forwarded('videokit-worker', 18)],
    );
    expect(result.exitCode).toBe(0);
    expect(result.runner.remaining()).toEqual([]);
    expect(result.outcome).toMatchObject({ status: 'drilled', exitCode: 0 });
    expect(result.events.filter((e) => e.type === 'stage').map((e) => (e.type === 'stage' ? `${e.stage}:${e.status}` : ''))).toEqual([
      'rollback:start',
      'rollback:end',
      'forward:start',
      'forward:end',
    ]);
  });

  it('--atomic: a rollout that fails puts the changed releases back, last changed first; exit 5', async () => {
    const result = await run(
      [...DRILL_ARGS, '--execute', '--yes', '--atomic', '--output', 'json'],
      [
        ...reads(),
        ...verified('videokit-api', 41),
        lock('videokit-worker'),
        compare('videokit-worker'),
        rollback('videokit-worker', 17),
        status('videokit-worker', { exitCode: 1, stdout: '', stderr: 'error: deployment "videokit-worker" exceeded its progress deadline\n' }),
        // Released after the failed wait, before the restore.
        unlock('videokit-worker'),
        // The restore: helm rollback and rollout status (no Pod listing), worker first.
        rollback('videokit-worker', 18),
        status('videokit-worker'),
        rollback('videokit-api', 42),
        status('videokit-api'),
        ...statesOf(...RELEASES),
      ],
    );
    expect(result.exitCode).toBe(5);
    expect(result.runner.remaining()).toEqual([]);
    const writes = result.runner.calls.filter((c) => c.spec.effect === 'write' && c.spec.args[1] !== 'configmap').map((c) => c.spec.args.slice(1, 3).join(' '));
    expect(writes).toEqual(['videokit-api 41', 'videokit-worker 17', 'videokit-worker 18', 'videokit-api 42']);
    expect(result.events.find((e) => e.type === 'restore-end')).toMatchObject({ ok: true, manualCommands: [] });
    expect(json(result.stdout).outcome).toMatchObject({ status: 'unhealthy', exitCode: 5 });
  });

  it('a helm rollback ended by the watchdog is a failed rollback (exit 4) with the pending-rollback hint', async () => {
    const result = await run(
      [...DRILL_ARGS, '--execute', '--yes'],
      [...reads(), lock('videokit-api'), compare('videokit-api'), rollback('videokit-api', 41, { exitCode: null, signal: 'SIGKILL', timedOut: true, stdout: '' }), unlock('videokit-api'), ...statesOf('videokit-api')],
    );
    expect(result.exitCode).toBe(4);
    expect(result.stderr).toMatch(/hint: helm was killed mid-rollback, which can leave videokit-api pending-rollback/);
    expect(result.outcome).toMatchObject({ status: 'rollback-failed', exitCode: 4 });
  });

  it('SIGINT during a helm rollback lets it finish, starts nothing after it, and exits 130', async () => {
    // The lock is released after the interrupt too.
    const result = await run([...DRILL_ARGS, '--execute', '--yes'], [...reads(), lock('videokit-api'), compare('videokit-api'), rollback('videokit-api', 41), unlock('videokit-api')], {
      onCommand: (args, signal) => {
        if (args[0] === 'rollback') signal('SIGINT');
      },
    });
    expect(result.exitCode).toBe(130);
    expect(result.runner.remaining()).toEqual([]);
    expect(result.events.find((e) => e.type === 'interrupt')).toMatchObject({ signal: 'SIGINT', count: 1 });
    expect(result.outcome).toMatchObject({ status: 'interrupted', exitCode: 130 });
  });

  it('a second SIGINT exits at once, closing the record and reporting once from what the events said so far', async () => {
    const exits: number[] = [];
    const result = await run([...DRILL_ARGS, '--execute', '--yes', '--output', 'json'], [...reads(), lock('videokit-api'), compare('videokit-api'), rollback('videokit-api', 41), unlock('videokit-api')], {
      onCommand: (args, signal) => {
        if (args[0] !== 'rollback') return;
        signal('SIGINT');
        signal('SIGINT');
      },
      exitNow: (code) => void exits.push(code),
    });
    expect(exits).toEqual([130]);
    expect(result.exitCode).toBe(130);
    expect(result.events.filter((e) => e.type === 'interrupt').map((e) => (e.type === 'interrupt' ? e.count : 0))).toEqual([1, 2]);
    expect(result.events.filter((e) => e.type === 'outcome')).toHaveLength(1);
    expect(result.outcome).toMatchObject({ status: 'interrupted', exitCode: 130 });
    // One JSON document: the run going on after the exit it asked for reports nothing more.
    expect(json(result.stdout).outcome).toMatchObject({ status: 'interrupted', exitCode: 130 });
  });

  it('at the prompt, anything but "yes" changes nothing: exit 2', async () => {
    const result = await run([...DRILL_ARGS, '--execute'], reads(), { confirm: false, env: { NO_COLOR: '1' } });
    expect(result.exitCode).toBe(2);
    expect(result.runner.calls.every((c) => c.spec.effect === 'read')).toBe(true);
    expect(result.events.find((e) => e.type === 'confirmation')).toMatchObject({ confirmed: false, how: 'prompt' });
    expect(result.outcome).toMatchObject({ status: 'refused', exitCode: 2 });
  });

  it('refusals run nothing, or nothing but reads: TARGET_ENV (exit 2), planning (exit 3)', async () => {
    const wrongEnv = await run([...DRILL_ARGS, '--execute', '--yes', '--target-env', 'staging'], []);
    expect(wrongEnv.exitCode).toBe(2);
    expect(wrongEnv.runner.calls).toEqual([]);
    expect(wrongEnv.stderr).toMatch(/does not belong to TARGET_ENV "?staging"?/);

    const pending = reads().map((e) =>
      e.args[0] === 'history' && e.args[1] === 'videokit-api'
        ? { ...e, result: { stdout: historyJson('videokit-api', [{ revision: 41, status: 'superseded' }, { revision: 42, status: 'pending-upgrade' }]) } }
        : e,
    );
    const refused = await run([...DRILL_ARGS, '--execute', '--yes', '--output', 'json'], pending);
    expect(refused.exitCode).toBe(3);
    expect(refused.runner.calls.every((c) => c.spec.effect === 'read')).toBe(true);
    expect(json(refused.stdout).outcome).toMatchObject({ status: 'plan-refused', exitCode: 3 });
  });
});
