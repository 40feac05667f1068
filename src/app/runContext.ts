import { hostname } from 'node:os';
import type { AnnotationResult } from '../tools/grafana.js';
import { documentPlan, requireUnchanged } from '../plan/approval/approval.js';
import type { PlanDocument } from '../plan/approval/planDocument.js';
import { writePlanFile } from '../plan/approval/writePlanFile.js';
import type { ClusterTarget } from '../domain/commandSpec.js';
import { releaseDiffs, type ReleaseManifestDiff } from '../plan/diff/releaseDiffs.js';
import type { RestoreReport } from '../execute/restore.js';
import type { TranscriptEvent } from '../domain/events.js';
import type { Transcript } from '../views/transcript.js';
import { createManifestReader } from '../plan/manifests.js';
import type { HelmVersion } from '../plan/parseToolOutput.js';
import type { Binaries } from '../plan/readCluster.js';
import type { RollbackPlan } from '../plan/types.js';
import type { ReadinessResult } from '../execute/readiness.js';
import type { Budget } from '../process/budget.js';
import type { CommandGate } from '../process/gate.js';
import type { WaitStrategy } from '../tools/helm.js';
import type { LockIdentity } from '../tools/kubectl.js';
import { whoAmI } from '../process/whoAmI.js';
import type { RunConfig } from './runConfig.js';
import type { ChalkInstance } from 'chalk';
import type { Settings } from '../domain/settings.js';
import type { PlanProblem } from '../domain/plan.js';
import type { ForwardResult, ReleaseResult, Stage } from '../domain/vocabulary.js';
import type { PlannedCommand } from '../views/jsonDocument.js';
import { noTranscript } from '../views/transcript.js';
import type { Clock } from '../process/budget.js';
import type { CommandObserver } from '../process/gate.js';
import type { InterruptController } from '../process/interrupt.js';
import type { CommandRunner } from '../process/runner.js';
import type { Redactor } from '../process/redact.js';

/** What --diff, --atomic, --check-url, --annotate and approved plans add to a run's state (and to the JSON document). */
export interface RunStateExtras {
  diff: ReleaseManifestDiff[] | null;
  restore: RestoreReport | null;
  readiness: readonly ReadinessResult[];
  annotation: AnnotationResult | null;
  planDocument: { action: 'written' | 'verified'; path: string; sha256: string } | null;
}

export const noExtras = (): RunStateExtras => ({ diff: null, restore: null, readiness: [], annotation: null, planDocument: null });

/** Everything perform() has set up by the time the plan exists, for the steps that follow it. */
export interface RunContext {
  readonly config: RunConfig;
  readonly deps: PerformDeps;
  readonly state: RunState;
  readonly gate: CommandGate;
  readonly bins: Binaries;
  readonly target: ClusterTarget;
  readonly budget: Budget;
  readonly transcript: Transcript;
  readonly time: () => string;
  readonly warn: (message: string) => void;
  readonly wait: WaitStrategy | undefined;
  /** This run's identity in the release locks it takes (see tools/kubectl.ts). */
  readonly lock: LockIdentity;
}

function recordPlanDocument(run: RunContext, document: PlanDocument): void {
  if (run.state.planDocument === null) return;
  const event: TranscriptEvent = { type: 'plan-document', time: run.time(), ...run.state.planDocument, createdBy: document.createdBy, createdAt: document.createdAt };
  run.transcript.record(event);
}

/**
 * After planning: with --plan-out or --plan, the plan document (more reads); with --plan,
 * the refusal if anything moved; with --diff, the manifest diffs. Returns the document.
 */
export async function planDocumentAndDiff(run: RunContext, plan: RollbackPlan, helm: HelmVersion | undefined): Promise<PlanDocument | undefined> {
  const { config, deps, state } = run;
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
    state.planDocument = { action: 'verified', path: config.approvedPlan.path, sha256: config.approvedPlan.sha256 };
    recordPlanDocument(run, config.approvedPlan.document);
  }
  if (config.diff) state.diff = await releaseDiffs(plan, manifests);
  return document;
}

/** --dry-run --plan-out: the document to approve, written whole. */
export function writeApprovedPlan(run: RunContext, document: PlanDocument): void {
  if (run.config.planOut === undefined) return;
  const written = writePlanFile(run.config.planOut, run.deps.cwd, document);
  run.state.planDocument = { action: 'written', ...written };
  recordPlanDocument(run, document);
  if (run.deps.textOutput) run.deps.writeOut(`\nApproved-plan document written: ${written.path} (sha256 ${written.sha256})\n`);
}

/** What a run collects for the final output, filled in as it goes. */
export interface RunState extends RunStateExtras {
  context: string | undefined;
  contextSource: string | undefined;
  /** Effective defaults-able values and where each came from (updated if the kubeconfig names the context). */
  settings: Settings | null;
  plan: RollbackPlan | null;
  problems: PlanProblem[];
  warnings: string[];
  plannedCommands: PlannedCommand[];
  releases: ReleaseResult[];
  /** A drill's roll forward, per release the rollback touched; empty otherwise. */
  forward: ForwardResult[];
  /** The drill stage whose failure decides the outcome, when one failed. */
  failedStage: Stage | undefined;
  restoreCommands: string[];
  transcript: Transcript;
  gate: CommandGate | undefined;
}

export interface PerformDeps {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly runner: CommandRunner;
  readonly clock: Clock;
  readonly tool: { readonly name: string; readonly version: string };
  readonly interrupts: InterruptController;
  readonly observer: CommandObserver & { note(text: string): void };
  /** Resolves false when `signal` aborts (an interrupt during the prompt). */
  readonly confirm: (question: string, signal: AbortSignal) => Promise<boolean>;
  readonly interactive: boolean;
  readonly writeOut: (text: string) => void;
  /** The environment helm and kubectl inherit: checked for helm's redirecting variables; kubeconfig paths and CI identity for run-start. */
  readonly env: NodeJS.ProcessEnv;
  readonly chalk: ChalkInstance;
  readonly textOutput: boolean;
  /** Applied to every transcript event: no credential reaches the file. */
  readonly redact: Redactor;
  /** Where a binary resolves on PATH (execa's lookup), for the paths and hashes in run-start. */
  readonly findExecutable: (file: string, env: NodeJS.ProcessEnv, cwd: string) => string | undefined;
}

export function newRunState(): RunState {
  return {
    context: undefined,
    contextSource: undefined,
    settings: null,
    plan: null,
    problems: [],
    warnings: [],
    plannedCommands: [],
    releases: [],
    forward: [],
    failedStage: undefined,
    restoreCommands: [],
    transcript: noTranscript,
    gate: undefined,
    ...noExtras(),
  };
}
