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
 * After an interrupted read's group was sent SIGTERM: how long before SIGKILL, and
 * before its pipes are given up. A descendant that escaped the group (setsid, a daemon)
 * can hold them open for as long as it likes; the output it would still print is not
 * worth making the operator wait after Ctrl-C.
 */
export const READ_GROUP_GRACE_MS = 250;

function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(PROCESS_GROUPS ? -pid : pid, signal);
    return true;
  } catch {
    return false; // already gone
  }
}

/**
 * Ends an interrupted read and everything it started: helm behind a wrapper script (a
 * version manager's shim, a credential helper) is a grandchild, and killing only the
 * wrapper left helm running with the pipes open until its own request finished.
 */
function endReadOnAbort(signal: AbortSignal | undefined, pid: number | undefined, streams: readonly (Readable | null | undefined)[]): () => void {
  if (signal === undefined || pid === undefined) return () => undefined;
  let grace: NodeJS.Timeout | undefined;
  const end = () => {
    signalGroup(pid, 'SIGTERM');
    grace = setTimeout(() => {
      signalGroup(pid, 'SIGKILL');
      for (const stream of streams) stream?.destroy();
    }, READ_GROUP_GRACE_MS);
  };
  if (signal.aborted) end();
  else signal.addEventListener('abort', end, { once: true });
  return () => {
    signal.removeEventListener('abort', end);
    clearTimeout(grace);
  };
}

/** The child, started with execa as createExecaRunner describes. */
function startChild(spec: CommandSpec, options: RunOptions, env: NodeJS.ProcessEnv, cwd: string | undefined) {
  return execa(spec.file, [...spec.args], {
    reject: false,
    shell: false,
    ...(cwd === undefined ? {} : { cwd }),
    stdin: spec.stdinFile === undefined ? 'ignore' : { file: spec.stdinFile },
    env,
    extendEnv: false,
    detached: PROCESS_GROUPS,
    timeout: options.watchdogMs,
    forceKillAfterDelay: options.forceKillAfterMs ?? MAX_FORCE_KILL_MS,
    ...(options.signal === undefined || spec.effect === 'read' ? {} : { cancelSignal: options.signal }),
    buffer: false,
    encoding: 'buffer',
  });
}

/** Drains both streams, waits for the child's end, and says how it ended. */
async function settle(subprocess: ReturnType<typeof startChild>, spec: CommandSpec, options: RunOptions, started: number): Promise<CommandResult> {
  const keep = options.keep ?? KEEP_ALL;
  const stopWatching = spec.effect === 'read' ? endReadOnAbort(options.signal, subprocess.pid, [subprocess.stdout, subprocess.stderr]) : () => undefined;
  const [result, stdout, stderr] = await Promise.all([
    subprocess,
    drain('stdout', subprocess.stdout, keep, options.onOutput),
    drain('stderr', subprocess.stderr, keep, options.onOutput),
  ]).finally(stopWatching);
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
}

/**
 * Runs argv arrays with execa: never through a shell, stdin closed so nothing can
 * prompt (or a file, for a command that reads its data there). Output is streamed (execa's `buffer: false`) to RunOptions.onOutput and
 * only what RunOptions.keep says of each stream is kept: memory stays bounded however
 * much a command prints.
 *
 * Every command runs in its own process group (`detached`, POSIX), so a Ctrl-C on
 * the terminal reaches none of them directly: the tool decides what each gets. A
 * write (helm rollback) killed mid-rollback leaves the release `pending-rollback`:
 * it gets nothing on a first interrupt (it is left to finish), the operator's own
 * signal, forwarded, on a second. A read is ended with its whole group on the first
 * interrupt (endReadOnAbort), its pipes given up after a short grace.
 *
 * Children start in `cwd` (this process's own when not given): the run's directory, where
 * its relative paths (`--helm ./helm`, a signing key) were looked up.
 */
export function createExecaRunner(env: NodeJS.ProcessEnv = process.env, cwd?: string): CommandRunner {
  const running = new Map<number, RunningChild>();
  return {
    async run(spec: CommandSpec, options: RunOptions): Promise<CommandResult> {
      const started = performance.now();
      const subprocess = startChild(spec, options, env, cwd);
      const pid = subprocess.pid;
      if (pid !== undefined) running.set(pid, { pid, file: spec.file });
      try {
        return await settle(subprocess, spec, options, started);
      } finally {
        if (pid !== undefined) running.delete(pid);
      }
    },
    signalRunning(signal) {
      const signalled: RunningChild[] = [];
      for (const child of running.values()) {
        try {
          // Each child leads its own process group: signal the group, so helm's own
          // children (plugins, post-renderers) get it too, as a terminal would do.
          // Where there are no groups (Windows), the pid alone gets it below.
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
