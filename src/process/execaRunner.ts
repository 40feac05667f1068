import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import type { CommandSpec } from '../domain/commandSpec.js';
import { captureStream, type KeepOutput, type OutputListener, type OutputStreamName } from './outputCapture.js';
import { MAX_FORCE_KILL_MS } from './watchdog.js';
import type { CommandResult, CommandRunner, RunOptions, RunningChild } from './runner.js';

/** Reads a child's stream as it comes, keeping what `keep` says; resolves when it ends. */
async function drain(name: OutputStreamName, stream: Readable | null | undefined, keep: KeepOutput, listener: OutputListener | undefined) {
  const capture = captureStream(name, keep, listener);
  if (stream) {
    stream.on('data', (chunk: Buffer) => capture.push(chunk));
    // A killed child can close its pipe early; whatever arrived is still kept and passed on.
    await finished(stream).catch(() => undefined);
  }
  return capture.end();
}

const KEEP_ALL: KeepOutput = { from: 'head', chars: Number.POSITIVE_INFINITY };

/**
 * Process groups are POSIX. On Windows `detached` would open a console of its own
 * instead, and there is no terminal group to keep helm out of.
 */
const PROCESS_GROUPS = process.platform !== 'win32';

/**
 * Runs argv arrays with execa: never through a shell, stdin closed so nothing can
 * prompt (or a file, for a command that reads its data there). Output is streamed (execa's `buffer: false`) to RunOptions.onOutput and
 * only what RunOptions.keep says of each stream is kept: memory stays bounded however
 * much a command prints.
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
      const keep = options.keep ?? KEEP_ALL;
      const subprocess = execa(spec.file, [...spec.args], {
        reject: false,
        shell: false,
        stdin: spec.stdinFile === undefined ? 'ignore' : { file: spec.stdinFile },
        env,
        extendEnv: false,
        detached: spec.effect === 'write' && PROCESS_GROUPS,
        timeout: options.watchdogMs,
        forceKillAfterDelay: options.forceKillAfterMs ?? MAX_FORCE_KILL_MS,
        ...(options.signal === undefined ? {} : { cancelSignal: options.signal }),
        buffer: false,
        encoding: 'buffer',
      });
      const pid = subprocess.pid;
      if (pid !== undefined) running.set(pid, { pid, file: spec.file });
      const [result, stdout, stderr] = await Promise.all([
        subprocess,
        drain('stdout', subprocess.stdout, keep, options.onOutput),
        drain('stderr', subprocess.stderr, keep, options.onOutput),
      ]);
      if (pid !== undefined) running.delete(pid);
      const durationMs = Math.round(performance.now() - started);
      const spawnError = result.failed && result.exitCode === undefined && result.signal === undefined
        ? (result.cause instanceof Error ? result.cause.message : result.shortMessage)
        : undefined;
      const omitted = stdout.omittedBytes + stderr.omittedBytes > 0;
      return {
        exitCode: result.exitCode ?? null,
        signal: result.signal ?? null,
        stdout: stdout.kept,
        stderr: stderr.kept,
        ...(omitted ? { omittedBytes: { stdout: stdout.omittedBytes, stderr: stderr.omittedBytes } } : {}),
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
