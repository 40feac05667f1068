import { finished } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { execa } from 'execa';
import type { CommandSpec } from '../commands/spec.js';
import { captureStream, type OutputListener, type OutputStreamName } from './outputCapture.js';
import type { CommandResult, CommandRunner, RunOptions } from './runner.js';

/** After SIGTERM, how long a child gets before SIGKILL. */
const FORCE_KILL_AFTER_MS = 5_000;

/** Reads a child's stream as it comes, keeping at most `keepChars`; resolves when it ends. */
async function drain(name: OutputStreamName, stream: Readable | null | undefined, keepChars: number, listener: OutputListener | undefined) {
  const capture = captureStream(name, keepChars, listener);
  if (stream) {
    stream.on('data', (chunk: Buffer) => capture.push(chunk));
    // A killed child can close its pipe early; whatever arrived is still kept and passed on.
    await finished(stream).catch(() => undefined);
  }
  return capture.end();
}

/**
 * Runs argv arrays with execa: never through a shell, stdin closed so nothing can
 * prompt. Output is streamed (execa's `buffer: false`) to RunOptions.onOutput and
 * only the first `keepChars` of each stream are kept: memory stays bounded however
 * much a command prints.
 */
export function createExecaRunner(env: NodeJS.ProcessEnv = process.env): CommandRunner {
  return {
    async run(spec: CommandSpec, options: RunOptions): Promise<CommandResult> {
      const started = performance.now();
      const keepChars = options.keepChars ?? Number.POSITIVE_INFINITY;
      const subprocess = execa(spec.file, [...spec.args], {
        reject: false,
        shell: false,
        stdin: 'ignore',
        env,
        extendEnv: false,
        timeout: options.watchdogMs,
        forceKillAfterDelay: FORCE_KILL_AFTER_MS,
        ...(options.signal === undefined ? {} : { cancelSignal: options.signal }),
        buffer: false,
        encoding: 'buffer',
      });
      const [result, stdout, stderr] = await Promise.all([
        subprocess,
        drain('stdout', subprocess.stdout, keepChars, options.onOutput),
        drain('stderr', subprocess.stderr, keepChars, options.onOutput),
      ]);
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
  };
}
