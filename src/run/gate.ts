import { createHash } from 'node:crypto';
import { formatCommand, type CommandSpec } from '../commands/spec.js';
import { RollbackFailure } from '../domain/errors.js';
import type { Phase } from '../output/events.js';
import type { Transcript } from '../output/transcript.js';
import type { Budget, Clock } from './budget.js';
import type { CommandResult, CommandRunner } from './runner.js';

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
}

export interface CommandGate {
  run(spec: CommandSpec, where: { phase: Phase; release: string | null }): Promise<CommandResult>;
  readonly records: readonly CommandRecord[];
}

/**
 * How long past its own --timeout a child may live before the watchdog ends it:
 * helm and kubectl need a moment to report their own timeout, which we prefer to read.
 */
export const WATCHDOG_GRACE_MS = 10_000;

/** Output the tool parses (history, Deployments, manifests) is kept whole, up to execa's old maxBuffer. */
export const PARSED_OUTPUT_KEEP_CHARS = 64 * 1024 * 1024;
/** Output that is only evidence (rollback, rollout, Pods) keeps its first MiB in memory; the transcript gets all. */
export const SHOWN_OUTPUT_KEEP_CHARS = 1024 * 1024;

export interface GateOptions {
  readonly mode: RunMode;
  readonly runner: CommandRunner;
  readonly transcript: Transcript;
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
  const records: CommandRecord[] = [];
  let nextId = 1;

  return {
    records,
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
      const watchdogMs = (spec.timeoutMs ?? budget.remainingMs()) + WATCHDOG_GRACE_MS;
      const result = await runner.run(spec, {
        watchdogMs,
        keepChars: spec.outputIsEvidence === true ? SHOWN_OUTPUT_KEEP_CHARS : PARSED_OUTPUT_KEEP_CHARS,
        onOutput: (stream, text) => {
          // A sensitive command's stdout never reaches the record; its digest does, below.
          if (spec.sensitiveOutput === true && stream === 'stdout') return;
          transcript.record({ type: 'command-output', time: clock.now().toISOString(), id, stream, text });
        },
        ...(options.signals === undefined ? {} : { signal: options.signals[spec.effect] }),
      });
      const shown = spec.sensitiveOutput === true ? withheld(result) : result;
      if (spec.sensitiveOutput === true) {
        transcript.record({ type: 'command-output', time: clock.now().toISOString(), id, stream: 'stdout', text: shown.stdout });
      }
      transcript.record({
        type: 'command-end',
        time: clock.now().toISOString(),
        id,
        command,
        exitCode: result.exitCode,
        signal: result.signal,
        durationMs: result.durationMs,
        timedOut: result.timedOut,
        spawnError: result.spawnError ?? null,
      });
      // Commands run side by side end in any order; the JSON output lists them as they started.
      const record: CommandRecord = { id, phase: where.phase, release: where.release, effect: spec.effect, command, argv: [spec.file, ...spec.args], result: shown };
      const later = records.findIndex((r) => r.id > id);
      records.splice(later === -1 ? records.length : later, 0, record);
      observer.finished(id, spec, command, result);
      return result;
    },
  };
}

/** What the record keeps of a sensitive command's stdout: enough to tell outputs apart, no content. */
function withheld(result: CommandResult): CommandResult {
  const digest = createHash('sha256').update(result.stdout).digest('hex');
  return { ...result, stdout: `(withheld: ${Buffer.byteLength(result.stdout)} bytes, sha256 ${digest}; may hold Secret data)\n` };
}
