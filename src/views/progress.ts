import type { ChalkInstance } from 'chalk';
import type { Ora } from 'ora';
import type { CommandRecord } from '../process/gate.js';
import type { CommandResult } from '../process/runner.js';
import type { RunEvent, RunSink } from './runEvents.js';
import { escapeControls } from '../domain/sanitize.js';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

function verdict(result: CommandResult): string {
  if (result.spawnError !== undefined) return `could not start: ${escapeControls(result.spawnError)}`;
  if (result.timedOut) return 'stopped by the watchdog';
  if (result.signal !== null) return `killed by ${result.signal}`;
  return `exit ${result.exitCode}`;
}

/**
 * Progress on stderr, from the run's events: `$ cmd` when a command starts and its
 * verdict when it ends. On a terminal an ora spinner shows what is running; elsewhere
 * plain lines only.
 */
export function createProgress(write: (text: string) => void, c: ChalkInstance, spinner: Ora | undefined): RunSink & { note(text: string): void; stop(): void } {
  const running = new Map<number, string>();
  // ora hooks writes to stdout/stderr while it spins: it clears the spinner line,
  // lets the text through and redraws below it, so plain writes are enough here.
  const print = (text: string) => {
    write(text);
    refresh();
  };
  const refresh = () => {
    if (spinner === undefined) return;
    const latest = [...running.values()].at(-1);
    if (latest === undefined) {
      spinner.stop();
      return;
    }
    spinner.text = running.size > 1 ? `${latest} (+${running.size - 1} more)` : latest;
    if (!spinner.isSpinning) spinner.start();
  };
  const finished = ({ record, purpose }: { record: CommandRecord; purpose: string }) => {
    running.delete(record.id);
    const ok = record.result.exitCode === 0 && !record.result.timedOut;
    const mark = ok ? c.green('ok') : c.red('FAILED');
    print(`  ${mark} ${purpose} (${verdict(record.result)}, ${seconds(record.result.durationMs)})\n`);
  };
  return {
    emit(event: RunEvent) {
      if (event.type === 'command-start') {
        running.set(event.id, event.command);
        print(`${c.cyan('$')} ${escapeControls(event.command)}\n`);
      } else if (event.type === 'watchdog') {
        print(`  ${c.red('watchdog:')} ${escapeControls(event.message)}\n`);
      } else if (event.type === 'command-record') {
        finished(event);
      }
    },
    note(text: string) {
      print(`${text}\n`);
    },
    stop() {
      spinner?.stop();
    },
  };
}
