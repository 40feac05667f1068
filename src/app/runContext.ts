import { hostname } from 'node:os';
import { documentPlan, requireUnchanged } from '../plan/approval/approval.js';
import type { PlanDocument } from '../plan/approval/planDocument.js';
import { writePlanFile } from '../plan/approval/writePlanFile.js';
import type { ClusterTarget } from '../domain/commandSpec.js';
import { releaseDiffs, type ReleaseManifestDiff } from '../plan/diff/releaseDiffs.js';
import type { EventSink } from '../domain/events.js';
import type { RunSink } from '../views/runEvents.js';
import type { DeferredTranscript } from '../views/transcript.js';
import { createManifestReader } from '../plan/manifests.js';
import type { HelmVersion } from '../plan/parseToolOutput.js';
import type { Binaries } from '../plan/readCluster.js';
import type { RollbackPlan } from '../plan/types.js';
import type { Budget } from '../process/budget.js';
import type { CommandGate } from '../process/gate.js';
import type { WaitStrategy } from '../tools/helm.js';
import type { LockIdentity } from '../tools/kubectl.js';
import { whoAmI } from '../process/whoAmI.js';
import type { RunConfig } from './runConfig.js';
import type { Clock } from '../process/budget.js';
import type { InterruptController } from '../process/interrupt.js';
import type { CommandRunner } from '../process/runner.js';
import type { Redactor } from '../process/redact.js';

/** Everything the run has set up by the time the plan exists, for the steps that follow it. */
export interface RunContext {
  readonly config: RunConfig;
  readonly deps: PerformDeps;
  readonly gate: CommandGate;
  readonly bins: Binaries;
  readonly target: ClusterTarget;
  readonly budget: Budget;
  /** Where the run's events go: the record and every view. */
  readonly sink: RunSink & EventSink;
  readonly time: () => string;
  readonly warn: (message: string) => void;
  readonly wait: WaitStrategy | undefined;
  /** This run's identity in the release locks it takes (see tools/kubectl.ts). */
  readonly lock: LockIdentity;
}

function recordPlanDocument(run: RunContext, written: { action: 'written' | 'verified'; path: string; sha256: string }, document: PlanDocument): void {
  run.sink.emit({ type: 'plan-document', time: run.time(), ...written, createdBy: document.createdBy, createdAt: document.createdAt });
}

/**
 * After planning: with --plan-out or --plan, the plan document (more reads); with --plan,
 * the refusal if anything moved; with --diff, the manifest diffs. Returns the document.
 */
export async function planDocumentAndDiff(
  run: RunContext,
  plan: RollbackPlan,
  helm: HelmVersion | undefined,
): Promise<{ document: PlanDocument | undefined; diff: ReleaseManifestDiff[] | null }> {
  const { config, deps } = run;
  const manifests = createManifestReader(run.gate, run.bins.helm, run.target);
  const wanted = config.planOut !== undefined || config.approvedPlan !== undefined;
  const document =
    wanted && helm !== undefined
      ? await documentPlan(plan, {
          gate: run.gate, bins: run.bins, manifests, helm, tool: deps.tool, targetEnv: config.targetEnv,
          user: whoAmI(), host: hostname(), now: deps.clock.now(), allowPending: config.allowPending,
        })
      : undefined;
  if (config.approvedPlan !== undefined && document !== undefined) {
    requireUnchanged(config.approvedPlan, document);
    const { path, sha256 } = config.approvedPlan;
    recordPlanDocument(run, { action: 'verified', path, sha256 }, config.approvedPlan.document);
  }
  const diff = config.diff ? await releaseDiffs(plan, manifests) : null;
  return { document, diff };
}

/** --dry-run --plan-out: the document to approve, written whole. */
export function writeApprovedPlan(run: RunContext, document: PlanDocument): void {
  if (run.config.planOut === undefined) return;
  const written = writePlanFile(run.config.planOut, run.deps.cwd, document);
  recordPlanDocument(run, { action: 'written', ...written }, document);
}

/** What the operator is asked to confirm: the caller words the question. */
export interface ConfirmRequest {
  readonly rollbacks: number;
  readonly drill: boolean;
  readonly context: string;
  readonly namespace: string;
}

export interface PerformDeps {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly runner: CommandRunner;
  readonly clock: Clock;
  readonly tool: { readonly name: string; readonly version: string };
  readonly interrupts: InterruptController;
  /** Resolves false when `signal` aborts (an interrupt during the prompt). */
  readonly confirm: (asked: ConfirmRequest, signal: AbortSignal) => Promise<boolean>;
  readonly interactive: boolean;
  /** The environment helm and kubectl inherit: checked for helm's redirecting variables; kubeconfig paths and CI identity for run-start. */
  readonly env: NodeJS.ProcessEnv;
  /** The record, opened once run-start is known (startRecord.ts); the caller seals it. */
  readonly record: DeferredTranscript;
  /** Where the run's events go: `record` and the caller's views. */
  readonly sink: RunSink & EventSink;
  /** Applied to every transcript event: no credential reaches the file. */
  readonly redact: Redactor;
  /** Where a binary resolves on PATH (execa's lookup), for the paths and hashes in run-start. */
  readonly findExecutable: (file: string, env: NodeJS.ProcessEnv, cwd: string) => string | undefined;
}
