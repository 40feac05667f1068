import { RollbackFailure } from '../domain/errors.js';
import type { RunningCommand } from '../process/gate.js';
import type { RunningChild } from '../process/runner.js';

export interface InterruptSituation {
  readonly mode: 'dry-run' | 'execute';
  readonly signal: 'SIGINT' | 'SIGTERM';
  readonly count: number;
  /** Commands in flight when the signal arrived. */
  readonly running: readonly RunningCommand[];
  /** A second signal with a way to end the process: the tool exits without waiting. */
  readonly exitAtOnce: boolean;
  /** The children the signal was forwarded to (when exiting at once). */
  readonly forwardedTo: readonly RunningChild[] | undefined;
}

const kindOf = (signal: 'SIGINT' | 'SIGTERM') => (signal === 'SIGINT' ? 'interrupted-sigint' : 'interrupted-sigterm');

/**
 * What the operator is told (and the transcript records) when a signal arrives,
 * and, when the tool exits at once, the failure it exits with.
 */
export function describeInterrupt(s: InterruptSituation): { action: string; failure?: RollbackFailure } {
  const writes = s.running.filter((c) => c.effect === 'write');
  if (s.exitAtOnce) {
    const forwarded = s.forwardedTo ?? [];
    const action =
      forwarded.length === 0
        ? 'exiting at once (no command was running)'
        : `exiting at once: forwarded ${s.signal} to ${forwarded.map((c) => `${c.file} (pid ${c.pid})`).join(', ')}`;
    const write = writes[0];
    if (write !== undefined) {
      const release = write.release ?? 'the release';
      return {
        action,
        failure: new RollbackFailure(
          kindOf(s.signal),
          `aborted by a second ${s.signal} while helm rollback of ${release} was running: helm was sent ${s.signal} and the tool exited without waiting for it`,
          {
            hint: `${release} may be left pending-rollback: check \`helm history ${release}\` (same --namespace and --kube-context); if its newest revision is pending-rollback, run the rollback again with --allow-pending`,
          },
        ),
      };
    }
    return {
      action,
      failure: new RollbackFailure(
        kindOf(s.signal),
        s.running.length === 0
          ? `aborted by a second ${s.signal}`
          : `aborted by a second ${s.signal}: exited without waiting for ${s.running.length} running read command(s)`,
      ),
    };
  }
  if (s.mode === 'dry-run') return { action: 'stopping the dry-run now (it changes nothing)' };
  if (s.count > 1) return { action: 'stopping every running command now' };
  const write = writes[0];
  if (write !== undefined) {
    return {
      action:
        `no new command will start and the waits are stopped; helm rollback of ${write.release ?? 'the release'} is left to finish, ` +
        'because killing helm mid-rollback leaves the release pending-rollback. Signal again to kill it and exit at once',
    };
  }
  return { action: 'no new command will start and the waits are stopped (nothing is being changed right now). Signal again to exit at once' };
}
