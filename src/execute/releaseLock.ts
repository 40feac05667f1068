import * as z from 'zod/mini';
import { formatDuration } from '../domain/duration.js';
import { describeFailure } from '../plan/readCluster.js';
import { succeeded, type CommandResult } from '../process/runner.js';
import type { WriteRefusal } from './compareBeforeWrite.js';

/**
 * `kubectl create configmap` of an existing name: the API server answers 409 AlreadyExists
 * and kubectl 1.31 and 1.35 print `error: failed to create configmap: configmaps "<name>"
 * already exists` (other `create` forms: `Error from server (AlreadyExists): ...`), exit 1.
 */
const ALREADY_EXISTS = /\(AlreadyExists\)|already exists/;

/** The lock was not taken: held by another run (`held`, to be described by a read), or the create failed. */
export function lockRefusal(release: string, result: CommandResult): WriteRefusal | undefined {
  if (succeeded(result)) return undefined;
  if (result.exitCode === 1 && ALREADY_EXISTS.test(result.stderr)) return { reason: `another run holds the lock on ${release}`, lostRace: false, held: true };
  return { reason: `could not lock ${release} against other runs (${describeFailure('kubectl create configmap', result)}); nothing was written to it`, lostRace: false };
}

const lockSchema = z.object({
  metadata: z.object({ creationTimestamp: z.optional(z.string()) }),
  data: z.optional(
    z.object({
      holder: z.optional(z.string()),
      pid: z.optional(z.string()),
      run: z.optional(z.string()),
      since: z.optional(z.string()),
      deadline: z.optional(z.string()),
    }),
  ),
});

const ageOf = (since: string | undefined, now: Date): string => {
  const ms = since === undefined ? Number.NaN : now.getTime() - Date.parse(since);
  return Number.isFinite(ms) && ms >= 0 ? `${formatDuration(Math.floor(ms / 1000) * 1000)} ago` : 'age unknown';
};

/**
 * Why a release was refused because another run holds its lock: whose it is, for how
 * long, whether its holder's own --timeout has run out (then it was most likely left by
 * a run that was killed: SIGKILL gives no chance to release it), and the exact command
 * that removes it. The lock is never broken automatically: only an operator knows that
 * its holder is gone. The text comes from the cluster: views escape it.
 */
export function describeHeldLock(release: string, read: CommandResult, now: Date, removeCommand: string): string {
  const head = `another run holds the lock on ${release}`;
  const tail = `nothing was written to it; if that run is gone, remove the stale lock with: ${removeCommand}`;
  if (!succeeded(read)) return `${head} (it could not be read: ${describeFailure('kubectl get configmap', read)}); ${tail}`;
  let json: unknown;
  try {
    json = JSON.parse(read.stdout);
  } catch {
    json = undefined;
  }
  const parsed = lockSchema.safeParse(json);
  if (!parsed.success) return `${head} (it is not one this tool wrote); ${tail}`;
  const data = parsed.data.data ?? {};
  const since = data.since ?? parsed.data.metadata.creationTimestamp;
  const who = `${data.holder ?? 'unknown holder'}, pid ${data.pid ?? '?'}, run ${data.run ?? '?'}`;
  const deadline = data.deadline === undefined ? Number.NaN : Date.parse(data.deadline);
  const staleness = !Number.isFinite(deadline)
    ? 'its deadline is unknown'
    : now.getTime() > deadline
      ? `past its holder's --timeout (${data.deadline}): probably left by a run that was killed`
      : `within its holder's --timeout (until ${data.deadline}): probably still running, so wait for it`;
  return `${head}: ${who}, since ${since ?? '?'} (${ageOf(since, now)}), ${staleness}; ${tail}`;
}
