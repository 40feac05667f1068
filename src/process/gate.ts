import { createHash } from 'node:crypto';
import { formatCommand, type CommandSpec } from '../domain/commandSpec.js';
import { RollbackFailure } from '../domain/errors.js';
import type { Phase } from '../domain/vocabulary.js';
import type { EventSink } from '../domain/events.js';
import type { Budget, Clock } from './budget.js';
import type { KeepOutput } from './outputCapture.js';
import type { CommandResult, CommandRunner } from './runner.js';
import { watchdogTiming } from './watchdog.js';

export { WATCHDOG_GRACE_MS } from './watchdog.js';

export type RunMode = 'dry-run' | 'execute';

/** A command as the operator and the JSON output see it: what ran, where, and how it went. */
export interface CommandRecord {
  readonly id: number;
  readonly phase: Phase;
  readonly release: string | null;
  readonly effect: CommandSpec['effect'];
  readonly command: string;
  readonly argv: readonly string[];
  readonly result: CommandResult;
}

export interface CommandObserver {
  started(id: number, spec: CommandSpec, command: string): void;
  finished(id: number, spec: CommandSpec, command: string, result: CommandResult): void;
  /** The watchdog ended a command that outlived its own time by the grace period. */
  watchdog?(id: number, spec: CommandSpec, message: string): void;
  /** The command's record as kept (its output bounded), once it has ended. */
  recorded?(record: CommandRecord, spec: CommandSpec): void;
}

/** Commands run side by side end in any order; the JSON output lists them as they started. */
export function inStartOrder(records: readonly CommandRecord[], record: CommandRecord): CommandRecord[] {
  const later = records.findIndex((r) => r.id > record.id);
  const at = later === -1 ? records.length : later;
  return [...records.slice(0, at), record, ...records.slice(at)];
}

/** A command that has started and not yet ended. */
export interface RunningCommand {
  readonly id: number;
  readonly phase: Phase;
  readonly release: string | null;
  readonly effect: CommandSpec['effect'];
  readonly command: string;
}

export interface CommandGate {
  run(spec: CommandSpec, where: { phase: Phase; release: string | null }): Promise<CommandResult>;
  /** Commands in flight now, oldest first (what an interrupt would affect). */
  running(): RunningCommand[];
}

/**
 * What of a command's output stays in memory (the transcript always gets all of it).
 * Output the tool parses (history, Deployments, manifests) is kept whole, up to
 * 64 MiB. Evidence with a shape (helm rollback, the Pod listing of
 * 1,000 Pods is about 150 kB) keeps its first MiB. A progress stream (rollout
 * status, which can print megabytes of "Waiting for deployment" lines) keeps its
 * last 64 KiB: the lines that say how it ended. Holding a MiB of each of several
 * concurrent rollouts is what pushed a run past 100 MB (README, Speed).
 */
export const KEEP_OUTPUT: Readonly<Record<NonNullable<CommandSpec['keepOutput']> | 'parsed', KeepOutput>> = {
  parsed: { from: 'head', chars: 64 * 1024 * 1024 },
  head: { from: 'head', chars: 1024 * 1024 },
  tail: { from: 'tail', chars: 64 * 1024 },
};

export interface GateOptions {
  readonly mode: RunMode;
  readonly runner: CommandRunner;
  /** Where the command events go (the transcript). */
  readonly transcript: EventSink;
  readonly clock: Clock;
  readonly budget: Budget;
  readonly observer: CommandObserver;
  /**
   * Aborting ends running commands. Reads and writes are separate: on a first
   * interrupt the waits stop but an in-flight `helm rollback` is left to finish,
   * because killing it leaves the release `pending-rollback`.
   */
  readonly signals?: { readonly read: AbortSignal; readonly write: AbortSignal };
}

/**
 * The only way a command reaches a process. It refuses write commands during a
 * dry-run (the effect is part of every spec, so no builder can slip past it), and
 * records every command in the transcript: its start, its output as it arrives,
 * its end.
 */
export function createCommandGate(options: GateOptions): CommandGate {
  const { mode, runner, transcript, clock, budget, observer } = options;
  const inFlight = new Map<number, RunningCommand>();
  let nextId = 1;

  return {
    running: () => [...inFlight.values()],
    async run(spec, where) {
      const command = formatCommand(spec);
      if (spec.effect === 'write' && mode === 'dry-run') {
        throw new RollbackFailure('internal', `refused to run a write command during a dry-run: ${command}`);
      }
      const id = nextId++;
      transcript.record({
        type: 'command-start',
        time: clock.now().toISOString(),
        id,
        phase: where.phase,
        release: where.release,
        effect: spec.effect,
        command,
        argv: [spec.file, ...spec.args],
      });
      observer.started(id, spec, command);
      inFlight.set(id, { id, phase: where.phase, release: where.release, effect: spec.effect, command });
      const allowedMs = spec.timeoutMs ?? budget.remainingMs();
      const timing = watchdogTiming(allowedMs);
      let result: CommandResult;
      try {
        result = await runner.run(spec, {
          watchdogMs: timing.watchdogMs,
          forceKillAfterMs: timing.forceKillAfterMs,
          keep: KEEP_OUTPUT[spec.keepOutput ?? 'parsed'],
          onOutput: (stream, text) => {
            // A sensitive command's stdout never reaches the record; its digest does, below.
            if (spec.sensitiveOutput === true && stream === 'stdout') return;
            transcript.record({ type: 'command-output', time: clock.now().toISOString(), id, stream, text });
          },
          ...(options.signals === undefined ? {} : { signal: options.signals[spec.effect] }),
        });
      } finally {
        inFlight.delete(id);
      }
      if (result.timedOut) recordWatchdog({ transcript, clock, observer }, { id, spec, command, allowedMs, graceMs: timing.graceMs }, result);
      const shown = recordEnd({ transcript, clock }, { id, spec, command }, result);
      const record: CommandRecord = { id, phase: where.phase, release: where.release, effect: spec.effect, command, argv: [spec.file, ...spec.args], result: shown };
      observer.recorded?.(record, spec);
      observer.finished(id, spec, command, result);
      return result;
    },
  };
}

interface Started {
  readonly id: number;
  readonly spec: CommandSpec;
  readonly command: string;
}

/** The watchdog ended a command: said in the record and to the observer. */
function recordWatchdog(
  to: { transcript: EventSink; clock: Clock; observer: CommandObserver },
  { id, spec, command, allowedMs, graceMs }: Started & { allowedMs: number; graceMs: number },
  result: CommandResult,
): void {
  const message =
    `${spec.tool} outlived its time (${seconds(allowedMs)}) by the ${seconds(graceMs)} grace: ` +
    `the watchdog ended it${result.signal === null ? '' : ` with ${result.signal}`}`;
  to.transcript.record({
    type: 'watchdog',
    time: to.clock.now().toISOString(),
    id,
    command,
    allowedMs: Math.round(allowedMs),
    graceMs,
    signal: result.signal,
    message,
  });
  to.observer.watchdog?.(id, spec, message);
}

/** A command's end in the record (a sensitive stdout as its digest only); returns the result as recorded. */
function recordEnd(to: { transcript: EventSink; clock: Clock }, { id, spec, command }: Started, result: CommandResult): CommandResult {
  const shown = spec.sensitiveOutput === true ? withheld(result) : result;
  if (spec.sensitiveOutput === true) {
    to.transcript.record({ type: 'command-output', time: to.clock.now().toISOString(), id, stream: 'stdout', text: shown.stdout });
  }
  to.transcript.record({
    type: 'command-end',
    time: to.clock.now().toISOString(),
    id,
    command,
    exitCode: result.exitCode,
    signal: result.signal,
    durationMs: result.durationMs,
    timedOut: result.timedOut,
    spawnError: result.spawnError ?? null,
  });
  return shown;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)}s`;
}

/** What the record keeps of a sensitive command's stdout: enough to tell outputs apart, no content. */
function withheld(result: CommandResult): CommandResult {
  const digest = createHash('sha256').update(result.stdout).digest('hex');
  return { ...result, stdout: `(withheld: ${Buffer.byteLength(result.stdout)} bytes, sha256 ${digest}; may hold Secret data)\n` };
}
