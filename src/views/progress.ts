import type { ChalkInstance } from 'chalk';
import type { Ora } from 'ora';
import type { CommandSpec } from '../domain/commandSpec.js';
import type { CommandObserver } from '../process/gate.js';
import type { CommandResult } from '../process/runner.js';
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
 * Progress on stderr: `$ cmd` when a command starts and its verdict when it ends.
 * On a terminal an ora spinner shows what is running; elsewhere plain lines only.
 */
export function createProgress(
  write: (text: string) => void,
  c: ChalkInstance,
  spinner: Ora | undefined,
): CommandObserver & { note(text: string): void; stop(): void } {
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
  return {
    started(id: number, _spec: CommandSpec, command: string) {
      running.set(id, command);
      print(`${c.cyan('$')} ${escapeControls(command)}\n`);
    },
    finished(id: number, spec: CommandSpec, _command: string, result: CommandResult) {
      running.delete(id);
      const ok = result.exitCode === 0 && !result.timedOut;
      const mark = ok ? c.green('ok') : c.red('FAILED');
      print(`  ${mark} ${spec.purpose} (${verdict(result)}, ${seconds(result.durationMs)})\n`);
    },
    watchdog(_id: number, _spec: CommandSpec, message: string) {
      print(`  ${c.red('watchdog:')} ${escapeControls(message)}\n`);
    },
    note(text: string) {
      print(`${text}\n`);
    },
    stop() {
      spinner?.stop();
    },
  };
}
