import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { kubeconfigPaths } from '../../src/record/ciIdentity.js';
import { readToolIdentity } from '../../src/app/identity.js';
import { noTranscript } from '../../src/views/transcript.js';
import { startBudget, systemClock } from '../../src/process/budget.js';
import { createExecaRunner } from '../../src/process/execaRunner.js';
import { createCommandGate } from '../../src/process/gate.js';
import { median } from './measure.js';

const TOOLS = resolve(import.meta.dirname, '../../.tools');
export const REAL_HELM = resolve(TOOLS, 'helm-v3.17.3/helm');
export const REAL_KUBECTL = resolve(TOOLS, 'kubectl-v1.31.9/kubectl');

export interface IdentityCost {
  /** One bare `helm version` spawn: the floor of any of the three reads. */
  readonly bareMs: number;
  /** The whole of run-start's identity: three reads through the gate, side by side with hashing both binaries. */
  readonly identityMs: number;
}

/**
 * What the record's run-start costs each run, with the real binaries (all three reads
 * are local: versions and the kubeconfig; no cluster is needed), median of `runs`.
 * Undefined when `npm run tools` has not fetched the binaries.
 */
export async function measureIdentity(runs: number, kubeconfig: string): Promise<IdentityCost | undefined> {
  if (!existsSync(REAL_HELM) || !existsSync(REAL_KUBECTL)) return undefined;
  const env = { PATH: '/usr/bin:/bin', HOME: '/tmp', KUBECONFIG: kubeconfig };
  const gate = createCommandGate({
    mode: 'dry-run',
    runner: createExecaRunner(env),
    transcript: noTranscript,
    clock: systemClock,
    budget: startBudget(600_000, systemClock),
    observer: { started: () => undefined, finished: () => undefined },
  });
  const bare: number[] = [];
  const full: number[] = [];
  for (let i = 0; i <= runs; i++) {
    let started = performance.now();
    spawnSync(REAL_HELM, ['version', '--template', '{{.Version}}'], { env, stdio: 'ignore' });
    if (i > 0) bare.push(performance.now() - started); // the first round warms the file cache
    started = performance.now();
    const identity = await readToolIdentity({
      gate,
      helm: { file: REAL_HELM, path: REAL_HELM },
      kubectl: { file: REAL_KUBECTL, path: REAL_KUBECTL },
      context: 'bench-ctx',
      kubeconfigPaths: kubeconfigPaths(env, '/tmp'),
    });
    if (i > 0) full.push(performance.now() - started);
    const problem = identity.helm.problem ?? identity.kubectl.problem ?? identity.kubeconfig.problem;
    if (problem !== null) throw new Error(`identity reads failed: ${problem}`);
  }
  return { bareMs: median(bare), identityMs: median(full) };
}
