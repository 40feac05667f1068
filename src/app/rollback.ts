import type { ClusterTarget } from '../domain/commandSpec.js';
import { formatCommand } from '../domain/commandSpec.js';
import { RollbackFailure, usageError } from '../domain/errors.js';
import { executeForward, type ExecuteOptions } from '../execute/executeRollback.js';
import { readReleaseState, stateFromReading } from '../execute/readReleaseState.js';
import { forwardSteps, restoreCommand, rollbackSteps } from '../execute/steps.js';
import { runExecution } from '../execute/runExecution.js';
import type { Stage, StateMoment } from '../domain/vocabulary.js';
import { renderPlan, renderPlannedCommands } from '../views/renderPlan.js';
import { renderForwardSummary, renderSummary } from '../views/renderSummary.js';
import { planAgeProblem } from '../plan/approval/comparePlans.js';
import { renderDiffs } from '../views/renderDiff.js';
import { renderOutcomeExtras, renderRunOptions } from '../views/renderExtras.js';
import { annotate, executionOptions } from './executeAndReport.js';
import { planDocumentAndDiff, writeApprovedPlan, type PerformDeps, type RunContext, type RunState } from './runContext.js';
import { checkWaitStrategy, detectHelmVersion } from '../plan/helmVersion.js';
import { deferredTranscript, type Transcript } from '../views/transcript.js';
import { startRecord } from './startRecord.js';
import { planRollback } from '../plan/planRollback.js';
import { describeFailure, readCluster, type Binaries } from '../plan/readCluster.js';
import { hintForProblems } from '../plan/toolErrors.js';
import type { PlanProblem, ReleaseRollback, RollbackPlan } from '../plan/types.js';
import type { PlannedCommand } from '../views/jsonDocument.js';
import type { CommandGate } from '../process/gate.js';
import { startBudget, type Budget } from '../process/budget.js';
import { createCommandGate } from '../process/gate.js';
import { escapeControls } from '../domain/sanitize.js';
import { checkHelmEnvironment, helmEnvironmentRefusal } from '../domain/helmEnvironment.js';
import { kubectlCurrentContext, type LockIdentity } from '../tools/kubectl.js';
import { whoAmI } from '../process/whoAmI.js';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { renderSettings } from '../views/renderSettings.js';
import { checkTargetEnv, NO_TARGET_ENV_WARNING } from '../domain/targetEnv.js';
import type { RunConfig } from './runConfig.js';

/** `--plan`: the approved rollbacks, so that one already done shows as applied rather than drift. */
function approvedRollbacks(config: RunConfig): Record<string, { from: number; to: number }> | undefined {
  const releases = config.approvedPlan?.document.releases;
  if (releases === undefined) return undefined;
  return Object.fromEntries(releases.flatMap((r) => (r.action === 'rollback' ? [[r.release, { from: r.current.revision, to: r.target.revision }]] : [])));
}

function throwIfInterrupted(deps: PerformDeps, during: string): void {
  const interrupted = deps.interrupts.current();
  if (interrupted !== undefined) {
    throw new RollbackFailure(interrupted.kind, `interrupted by ${interrupted.signal} during ${during}; nothing was changed`);
  }
}

/** Refused after run-start, so the transcript records which plan was refused and why. */
function refuseStalePlan(config: RunConfig, deps: PerformDeps): void {
  if (config.approvedPlan === undefined) return;
  const tooOld = planAgeProblem(config.approvedPlan.document.createdAt, deps.clock.now(), config.planMaxAgeMs);
  if (tooOld !== undefined) throw new RollbackFailure('plan', `the approved plan ${config.approvedPlan.path} ${tooOld}; nothing was changed`);
}

/** Without --context (only a dry-run gets here: --execute without one is refused earlier), the kubeconfig's current context. */
async function contextFromKubeconfig(config: RunConfig, deps: PerformDeps, gate: CommandGate, time: () => string, transcript: Transcript): Promise<string> {
  const result = await gate.run(kubectlCurrentContext(config.kubectl), { phase: 'context', release: null });
  throwIfInterrupted(deps, 'context resolution');
  const resolved = result.stdout.trim();
  if (result.exitCode !== 0 || resolved === '' || resolved.includes('\n')) {
    throw usageError(`no --context given and the kubeconfig names none: ${describeFailure('kubectl config current-context', result)}`, 'pass --context or set KUBE_CONTEXT');
  }
  transcript.record({ type: 'context-resolved', time: time(), context: resolved, source: 'kubeconfig' });
  deps.observer.note(`context resolved from the kubeconfig: ${escapeControls(resolved)}`);
  return resolved;
}

/** The planning reads, the states before, and the plan; a refused plan throws with its problems. */
async function readAndPlan(run: RunContext, onProblems: (problems: readonly PlanProblem[]) => void): Promise<RollbackPlan> {
  const { config, deps, transcript, time, target } = run;
  const snapshot = await readCluster(run.gate, run.bins, target, config.releases, config.concurrency);
  throwIfInterrupted(deps, 'planning');
  for (const reading of snapshot.releases) {
    transcript.record({ type: 'release-state', time: time(), moment: 'before', release: reading.release, ...stateFromReading(reading) });
  }
  const request = {
    releases: config.releases,
    namespace: config.namespace,
    context: target.context,
    pinnedRevisions: config.pinnedRevisions,
    allowPending: config.allowPending,
    requireDeployed: config.drill,
    approvedRollbacks: approvedRollbacks(config),
    toolName: deps.tool.name,
  };
  const planned = planRollback(request, snapshot);
  if (!planned.ok) {
    onProblems(planned.problems);
    const hint = hintForProblems(planned.problems.map((p) => p.message));
    throw new RollbackFailure('plan', `planning refused the run; nothing was changed`, {
      details: planned.problems.map((p) => `${p.release}: ${p.message}`),
      ...(hint === undefined ? {} : { hint }),
    });
  }
  transcript.record({ type: 'plan', time: time(), plan: planned.plan });
  for (const release of planned.plan.releases) {
    if (release.action === 'rollback') release.warnings.forEach(run.warn);
  }
  return planned.plan;
}

/** The commands --execute runs, from the same step builders, with the whole budget: a drill lists both stages. */
function plannedCommandsOf(run: RunContext, plan: RollbackPlan): PlannedCommand[] {
  const stages = run.config.drill ? [rollbackSteps, forwardSteps] : [rollbackSteps];
  return stages.flatMap((stepsOf) =>
    plan.releases.flatMap((release) =>
      release.action !== 'rollback'
        ? []
        : stepsOf(run.bins, run.target, release, { wait: run.wait, lock: run.lock }).map((step) => {
            const spec = step.build(run.config.timeoutMs);
            return { release: release.release, effect: spec.effect, command: formatCommand(spec), argv: [spec.file, ...spec.args] };
          }),
    ),
  );
}

/** The operator's go-ahead: --yes, or "yes" typed at the prompt. */
async function confirmRun(run: RunContext, plan: RollbackPlan): Promise<void> {
  const { config, deps, transcript, time } = run;
  // Nothing to write (every release already rolled back): nothing to confirm.
  if (!plan.releases.some((r) => r.action === 'rollback')) {
    deps.observer.note('nothing to write: no confirmation needed');
    return;
  }
  if (config.yes) {
    transcript.record({ type: 'confirmation', time: time(), confirmed: true, how: '--yes' });
    return;
  }
  const count = plan.releases.filter((r) => r.action === 'rollback').length;
  const what = config.drill ? `Drill: roll back ${count} release(s) and forward again` : `Roll back ${count} release(s)`;
  const confirmed = await deps.confirm(`${what} in ${escapeControls(run.target.context)}/${config.namespace}? Type "yes" to go ahead: `, deps.interrupts.signals.read);
  transcript.record({ type: 'confirmation', time: time(), confirmed, how: 'prompt' });
  throwIfInterrupted(deps, 'confirmation');
  if (!confirmed) throw usageError('not confirmed; nothing was changed');
}

/**
 * One run after its inputs are valid: transcript, context, planning reads, plan,
 * then either the dry-run listing or confirmation and execution.
 */
export async function perform(config: RunConfig, deps: PerformDeps, state: RunState): Promise<void> {
  const time = () => deps.clock.now().toISOString();
  if (config.context !== undefined) checkTargetEnv(config.context, config.targetEnv);
  Object.assign(state, { context: config.context, contextSource: config.contextSource, settings: config.settings });
  // --timeout bounds the run from its record's start: the identity reads before it are
  // local (no cluster) and get a budget of their own, which the run's then replaces.
  let current = startBudget(config.timeoutMs, deps.clock);
  const budget: Budget = { totalMs: config.timeoutMs, remainingMs: () => current.remainingMs(), elapsedMs: () => current.elapsedMs() };
  const pending = deferredTranscript();
  state.transcript = pending;
  const gate = createCommandGate({ mode: config.mode, runner: deps.runner, transcript: pending, clock: deps.clock, budget, observer: deps.observer, signals: deps.interrupts.signals });
  state.gate = gate;
  // Before any command: nothing in helm's environment may point it at another cluster.
  const environment = checkHelmEnvironment(deps.env);
  const refusal = helmEnvironmentRefusal(environment);
  await startRecord(config, deps, gate, pending, refusal === undefined ? undefined : 'not read: the run was refused before any command');
  current = startBudget(config.timeoutMs, deps.clock);
  throwIfInterrupted(deps, 'the reads that start the record');
  const transcript = state.transcript;
  transcript.record({ type: 'environment-check', time: time(), ...environment });
  if (refusal !== undefined) throw refusal;
  refuseStalePlan(config, deps);
  const warn = (message: string) => {
    state.warnings.push(message);
    transcript.record({ type: 'warning', time: time(), message });
    deps.observer.note(deps.chalk.yellow(`warning: ${escapeControls(message)}`));
  };
  if (config.mode === 'execute' && config.targetEnv === undefined) warn(NO_TARGET_ENV_WARNING);

  let context = config.context;
  if (context === undefined) {
    context = await contextFromKubeconfig(config, deps, gate, time, transcript);
    Object.assign(state, { context, contextSource: 'kubeconfig', settings: { ...config.settings, context: { value: context, source: 'kubeconfig', from: null } } });
    warn(`no --context given: using the kubeconfig's current context "${context}"; --execute will need it explicit (--context ${context})`);
    checkTargetEnv(context, config.targetEnv);
  }
  if (config.mode === 'dry-run' && deps.textOutput && state.settings !== null) deps.writeOut(renderSettings(state.settings, deps.chalk));

  // helm's major version decides how --wait-strategy is spelled; read once, only when something depends on it.
  const needsHelmVersion = config.waitStrategy !== undefined || config.planOut !== undefined || config.approvedPlan !== undefined;
  const helmVersion = needsHelmVersion ? await detectHelmVersion(gate, config.helm) : undefined;
  if (helmVersion !== undefined) checkWaitStrategy(config.waitStrategy, helmVersion);

  const bins: Binaries = { helm: config.helm, kubectl: config.kubectl };
  const target: ClusterTarget = { context, namespace: config.namespace };
  const run: RunContext = { config, deps, state, gate, bins, target, budget, transcript, time, warn, wait: config.waitStrategy, lock: lockIdentity(config, deps) };
  const plan = await readAndPlan(run, (problems) => (state.problems = [...problems]));
  state.plan = plan;
  const planDocument = await planDocumentAndDiff(run, plan, helmVersion);
  throwIfInterrupted(deps, 'planning');
  state.plannedCommands = plannedCommandsOf(run, plan);
  if (deps.textOutput) {
    deps.writeOut(renderPlan(plan, { targetEnv: config.targetEnv }, deps.chalk));
    deps.writeOut(renderPlannedCommands(state.plannedCommands.map((c) => c.command), deps.chalk));
    deps.writeOut(renderRunOptions(config, deps.chalk));
    if (state.diff !== null) deps.writeOut(renderDiffs(state.diff, deps.chalk));
  }

  if (config.mode === 'dry-run') {
    for (const command of state.plannedCommands) {
      transcript.record({ type: 'command-planned', time: time(), release: command.release, effect: command.effect, command: command.command });
    }
    if (planDocument !== undefined) writeApprovedPlan(run, planDocument);
    return;
  }
  await confirmRun(run, plan);
  await executeRun(run, plan);
}

/**
 * Who this run is, in each release lock it takes: user@host, pid, a run id, when it
 * started, and when its own --timeout runs out across its stages (rollback, then a
 * drill's roll forward or --atomic's restore, each with a budget of --timeout).
 */
function lockIdentity(config: RunConfig, deps: PerformDeps): LockIdentity {
  const now = deps.clock.now();
  const stages = 1 + (config.drill ? 1 : 0) + (config.atomic ? 1 : 0);
  return {
    holder: `${whoAmI()}@${hostname()}`,
    pid: process.pid,
    run: randomUUID(),
    since: now.toISOString(),
    deadline: new Date(now.getTime() + stages * config.timeoutMs).toISOString(),
  };
}

/** Timed stages and the state reads after them, for one --execute. */
function stageTools(run: RunContext) {
  const { config, deps, transcript, time } = run;
  const stageOptions = (stage: Stage): ExecuteOptions => ({
    gate: run.gate,
    bins: run.bins,
    target: run.target,
    // Each stage is timed against the objective on its own: a slow rollback must not
    // starve the roll forward that puts production back where it was.
    budget: stage === 'rollback' ? run.budget : startBudget(config.timeoutMs, deps.clock),
    interruption: () => deps.interrupts.current(),
    onReleaseDone: (done) => transcript.record({ type: 'release-result', time: time(), ...done }),
    wait: run.wait,
    lock: run.lock,
    currentTime: () => deps.clock.now(),
    parallel: config.parallel,
  });
  /** Runs one stage between its `stage` start and end events, timed against its own budget. */
  const runStage = async <T extends { readonly failure: unknown }>(stage: Stage, body: (options: ExecuteOptions) => Promise<T>): Promise<T> => {
    const options = stageOptions(stage);
    transcript.record({ type: 'stage', time: time(), stage, status: 'start', budgetMs: config.timeoutMs });
    const result = await body(options);
    const elapsedMs = Math.round(options.budget.elapsedMs());
    transcript.record({ type: 'stage', time: time(), stage, status: 'end', budgetMs: config.timeoutMs, elapsedMs, ok: result.failure === undefined });
    return result;
  };
  const recordStates = async (moment: StateMoment, releases: readonly ReleaseRollback[]) => {
    // After an interrupt the reads are aborted anyway; the summary says where things stand.
    if (deps.interrupts.current() !== undefined) return;
    for (const release of releases) {
      const found = await readReleaseState(run.gate, run.bins, run.target, release.release);
      transcript.record({ type: 'release-state', time: time(), moment, release: release.release, ...found });
    }
  };
  const restoreCommands = (releases: readonly ReleaseRollback[]) =>
    releases.map((release) => formatCommand(restoreCommand(run.bins, run.target, release, config.timeoutMs, { wait: run.wait })));
  return { runStage, recordStates, restoreCommands };
}

/** The rollback, then --check-url, then (with --atomic, after a failure) the restore; a drill rolls forward again. */
async function executeRun(run: RunContext, plan: RollbackPlan): Promise<void> {
  const { config, deps, state } = run;
  const { runStage, recordStates, restoreCommands } = stageTools(run);
  const startedAtMs = deps.clock.now().getTime();
  const outcome = await runStage('rollback', (options) => runExecution(plan, executionOptions(run, options)));
  const { report } = outcome;
  report.locksLeft.forEach(run.warn);
  Object.assign(state, { releases: [...report.releases], readiness: outcome.readiness, restore: outcome.restore ?? null });
  await recordStates('after-rollback', report.touched);
  if (config.drill && report.touched.length > 0) {
    if (outcome.failure !== undefined) deps.observer.note(deps.chalk.yellow('drill: the rollback failed; rolling every touched release forward again'));
    const forward = await runStage('forward', (options) => executeForward(report.touched, options));
    state.forward = [...forward.releases];
    await recordStates('after-forward', report.touched);
    state.restoreCommands = restoreCommands(forward.notRestored);
    if (deps.textOutput) {
      deps.writeOut(renderSummary(report.releases, [], deps.chalk));
      deps.writeOut(renderOutcomeExtras(state, deps.chalk));
      deps.writeOut(renderForwardSummary(forward.releases, state.restoreCommands, deps.chalk));
    }
    // The drill's exit code is that of the first stage that failed.
    state.failedStage = outcome.failure !== undefined ? 'rollback' : forward.failure !== undefined ? 'forward' : undefined;
    await annotate(run, startedAtMs, outcome.failure ?? forward.failure, state.failedStage);
    const failure = outcome.failure ?? forward.failure;
    if (failure !== undefined) throw failure;
    return;
  }
  // After --atomic's restore only what it could not restore is left for a human.
  state.restoreCommands = outcome.restore !== undefined ? [...outcome.restore.manualCommands] : restoreCommands(report.touched);
  if (deps.textOutput) {
    deps.writeOut(renderSummary(report.releases, outcome.restore === undefined ? state.restoreCommands : [], deps.chalk));
    deps.writeOut(renderOutcomeExtras(state, deps.chalk));
  }
  await annotate(run, startedAtMs, outcome.failure);
  if (outcome.failure !== undefined) throw outcome.failure;
}
