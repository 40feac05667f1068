import { execa } from 'execa';
import type { CommandSpec } from '../commands/spec.js';
import { MAX_FORCE_KILL_MS } from './watchdog.js';
import type { CommandResult, CommandRunner, RunOptions, RunningChild } from './runner.js';

/**
 * Runs argv arrays with execa: never through a shell, stdin closed so nothing can prompt.
 *
 * A write (helm rollback) runs in its own process group (`detached`): a Ctrl-C on
 * the terminal signals the whole foreground group, and helm killed mid-rollback
 * leaves the release `pending-rollback`. So only the tool decides what it gets:
 * nothing on a first interrupt (it is left to finish), the operator's own signal,
 * forwarded, on a second. Reads stay in the tool's group: a first interrupt stops
 * them anyway, and the terminal's Ctrl-C reaching them directly changes nothing.
 */
export function createExecaRunner(env: NodeJS.ProcessEnv = process.env): CommandRunner {
  const running = new Map<number, RunningChild>();
  return {
    async run(spec: CommandSpec, options: RunOptions): Promise<CommandResult> {
      const started = performance.now();
      const subprocess = execa(spec.file, [...spec.args], {
        reject: false,
        shell: false,
        stdin: 'ignore',
        env,
        extendEnv: false,
        detached: spec.effect === 'write',
        timeout: options.watchdogMs,
        forceKillAfterDelay: options.forceKillAfterMs ?? MAX_FORCE_KILL_MS,
        ...(options.signal === undefined ? {} : { cancelSignal: options.signal }),
        stripFinalNewline: false,
        maxBuffer: 64 * 1024 * 1024,
      });
      const pid = subprocess.pid;
      if (pid !== undefined) running.set(pid, { pid, file: spec.file });
      const result = await subprocess;
      if (pid !== undefined) running.delete(pid);
      const durationMs = Math.round(performance.now() - started);
      const spawnError = result.failed && result.exitCode === undefined && result.signal === undefined
        ? (result.cause instanceof Error ? result.cause.message : result.shortMessage)
        : undefined;
      return {
        exitCode: result.exitCode ?? null,
        signal: result.signal ?? null,
        stdout: String(result.stdout ?? ''),
        stderr: String(result.stderr ?? ''),
        durationMs,
        timedOut: result.timedOut,
        ...(spawnError === undefined ? {} : { spawnError }),
      };
    },
    signalRunning(signal) {
      const signalled: RunningChild[] = [];
      for (const child of running.values()) {
        try {
          // A write leads its own process group: signal the group, so helm's own
          // children (plugins, post-renderers) get it too, as a terminal would do.
          // A read is in ours: that fails (ESRCH), and the pid alone gets it below.
          process.kill(-child.pid, signal);
          signalled.push(child);
        } catch {
          try {
            process.kill(child.pid, signal);
            signalled.push(child);
          } catch {
            // Already gone.
          }
        }
      }
      return signalled;
    },
  };
}
