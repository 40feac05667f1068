import { RollbackFailure, usageError } from '../domain/errors.js';
import type { CommandGate } from '../process/gate.js';
import { helmVersion } from '../tools/helm.js';
import { parseHelmVersion, type HelmVersion } from './parseToolOutput.js';
import { describeFailure } from './readCluster.js';

/**
 * helm's version, read once per run and only when something depends on it
 * (`--wait-strategy`, plan documents): bare `--wait` is right for helm 3 and 4 alike.
 */
export async function detectHelmVersion(gate: CommandGate, helm: string): Promise<HelmVersion> {
  const result = await gate.run(helmVersion(helm), { phase: 'plan', release: null });
  if (result.exitCode !== 0 || result.timedOut) throw new RollbackFailure('plan', describeFailure('helm version', result));
  const parsed = parseHelmVersion(result.stdout);
  if (!parsed.ok) throw new RollbackFailure('plan', parsed.problem);
  return parsed.value;
}

/**
 * `--wait-strategy` exists only in helm 4 (`--wait=watcher|legacy`); helm 3's `--wait`
 * is a boolean that rejects those values. Refused before any write, as a usage error.
 */
export function checkWaitStrategy(strategy: string | undefined, helm: HelmVersion): void {
  if (strategy !== undefined && helm.major < 4) {
    throw usageError(
      `--wait-strategy ${strategy} needs helm 4; ${helm.version} only has a plain --wait`,
      'drop --wait-strategy (helm 3 always waits the legacy way) or use helm 4 (--helm <path>)',
    );
  }
}
