import { hostname } from 'node:os';
import { whoAmI } from '../process/whoAmI.js';
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
import { defaultTranscriptPath, openTranscript } from '../views/transcript.js';
import { planRollback } from '../plan/planRollback.js';
import { describeFailure, readCluster, type Binaries } from '../plan/readCluster.js';
import { hintForProblems } from '../plan/toolErrors.js';
import type { ReleaseRollback } from '../plan/types.js';
import { startBudget } from '../process/budget.js';
import { createCommandGate } from '../process/gate.js';
import { escapeControls } from '../domain/sanitize.js';
import { checkHelmEnvironment, helmEnvironmentRefusal } from '../domain/helmEnvironment.js';
import { kubectlCurrentContext } from '../tools/kubectl.js';
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

/**
 * One run after its inputs are valid: transcript, context, planning reads, plan,
 * then either the dry-run listing or confirmation and execution.
 */
export async function perform(config: RunConfig, deps: PerformDeps, state: RunState): Promise<void> {
  const { clock } = deps;
  const time = () => clock.now().toISOString();
  const bins: Binaries = { helm: config.helm, kubectl: config.kubectl };

  if (config.context !== undefined) checkTargetEnv(config.context, config.targetEnv);
  state.context = config.context;
  state.contextSource = config.contextSource;
  state.settings = config.settings;

  // A drill's report is rendered from its transcript: its default transcript is JSON Lines.
  const transcriptPath =
    config.transcriptPath ??
    (config.mode === 'execute' ? defaultTranscriptPath(clock.now(), config.transcriptDir, config.drill ? '.jsonl' : '.log') : undefined);
  if (transcriptPath !== undefined) {
    try {
      state.transcript = openTranscript(transcriptPath, deps.redact);
    } catch (error) {
      throw usageError(`cannot write the transcript ${transcriptPath}: ${(error as Error).message}`);
    }
  }
  const transcript = state.transcript;
  transcript.record({
    type: 'run-start',
    time: time(),
    tool: deps.tool,
    argv: deps.argv,
    user: whoAmI(),
    host: hostname(),
    cwd: deps.cwd,
    pid: process.pid,
    mode: config.mode,
    targetEnv: config.targetEnv ?? null,
    context: config.context ?? null,
    namespace: config.namespace,
    releases: config.releases,
    timeout: config.timeoutText,
    configFile: config.configFile ?? null,
    ...(config.drill ? { drill: true } : {}),
    parallel: config.parallel,
  });
  // Before any command: nothing in helm's environment may point it at another cluster.
  const environment = checkHelmEnvironment(deps.env);
  transcript.record({ type: 'environment-check', time: time(), ...environment });
  const refusal = helmEnvironmentRefusal(environment);
  if (refusal !== undefined) throw refusal;
  if (config.approvedPlan !== undefined) {
    // Refused after run-start, so the transcript records which plan was refused and why.
    const tooOld = planAgeProblem(config.approvedPlan.document.createdAt, clock.now(), config.planMaxAgeMs);
    if (tooOld !== undefined) throw new RollbackFailure('plan', `the approved plan ${config.approvedPlan.path} ${tooOld}; nothing was changed`);
  }

  const budget = startBudget(config.timeoutMs, clock);
  const gate = createCommandGate({
    mode: config.mode,
    runner: deps.runner,
    transcript,
    clock,
    budget,
    observer: deps.observer,
    signals: deps.interrupts.signals,
  });
  state.gate = gate;
  const warn = (message: string) => {
    state.warnings.push(message);
    transcript.record({ type: 'warning', time: time(), message });
    deps.observer.note(deps.chalk.yellow(`warning: ${escapeControls(message)}`));
  };
  if (config.mode === 'execute' && config.targetEnv === undefined) warn(NO_TARGET_ENV_WARNING);

  let context = config.context;
  if (context === undefined) {
    // Only a dry-run gets here (--execute without a context is refused earlier).
    const result = await gate.run(kubectlCurrentContext(bins.kubectl), { phase: 'context', release: null });
    throwIfInterrupted(deps, 'context resolution');
    const resolved = result.stdout.trim();
    if (result.exitCode !== 0 || resolved === '' || resolved.includes('\n')) {
      throw usageError(`no --context given and the kubeconfig names none: ${describeFailure('kubectl config current-context', result)}`, 'pass --context or set KUBE_CONTEXT');
    }
    context = resolved;
    state.context = context;
    state.contextSource = 'kubeconfig';
    state.settings = { ...config.settings, context: { value: context, source: 'kubeconfig', from: null } };
    transcript.record({ type: 'context-resolved', time: time(), context, source: 'kubeconfig' });
    deps.observer.note(`context resolved from the kubeconfig: ${escapeControls(context)}`);
    warn(`no --context given: using the kubeconfig's current context "${context}"; --execute will need it explicit (--context ${context})`);
    checkTargetEnv(context, config.targetEnv);
  }

  if (config.mode === 'dry-run' && deps.textOutput && state.settings !== null) {
    deps.writeOut(renderSettings(state.settings, deps.chalk));
  }

  // helm's major version decides how --wait-strategy is spelled; read once, only when something depends on it.
  const needsHelmVersion = config.waitStrategy !== undefined || config.planOut !== undefined || config.approvedPlan !== undefined;
  const helmVersion = needsHelmVersion ? await detectHelmVersion(gate, bins.helm) : undefined;
  if (helmVersion !== undefined) checkWaitStrategy(config.waitStrategy, helmVersion);
  const stepOptions = { wait: config.waitStrategy };

  const target: ClusterTarget = { context, namespace: config.namespace };
  const snapshot = await readCluster(gate, bins, target, config.releases, config.concurrency);
  throwIfInterrupted(deps, 'planning');
  for (const reading of snapshot.releases) {
    transcript.record({ type: 'release-state', time: time(), moment: 'before', release: reading.release, ...stateFromReading(reading) });
  }
  const planned = planRollback(
    {
      releases: config.releases,
      namespace: config.namespace,
      context,
      pinnedRevisions: config.pinnedRevisions,
      allowPending: config.allowPending,
      requireDeployed: config.drill,
      approvedRollbacks: approvedRollbacks(config),
      toolName: deps.tool.name,
    },
    snapshot,
  );
  if (!planned.ok) {
    state.problems = [...planned.problems];
    const hint = hintForProblems(planned.problems.map((p) => p.message));
    throw new RollbackFailure('plan', `planning refused the run; nothing was changed`, {
      details: planned.problems.map((p) => `${p.release}: ${p.message}`),
      ...(hint === undefined ? {} : { hint }),
    });
  }
  const plan = planned.plan;
  state.plan = plan;
  transcript.record({ type: 'plan', time: time(), plan });
  for (const release of plan.releases) {
    if (release.action === 'rollback') release.warnings.forEach(warn);
  }

  const run: RunContext = { config, deps, state, gate, bins, target, budget, transcript, time, warn, wait: stepOptions.wait };
  const planDocument = await planDocumentAndDiff(run, plan, helmVersion);
  throwIfInterrupted(deps, 'planning');

  // The same step builders --execute runs, with the whole budget: a drill lists both stages.
  const stages = config.drill ? [rollbackSteps, forwardSteps] : [rollbackSteps];
  for (const stepsOf of stages) {
    for (const release of plan.releases) {
      if (release.action !== 'rollback') continue;
      for (const step of stepsOf(bins, target, release, stepOptions)) {
        const spec = step.build(config.timeoutMs);
        state.plannedCommands.push({ release: release.release, effect: spec.effect, command: formatCommand(spec), argv: [spec.file, ...spec.args] });
      }
    }
  }
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

  // Nothing to write (every release already rolled back): nothing to confirm.
  if (!plan.releases.some((r) => r.action === 'rollback')) {
    deps.observer.note('nothing to write: no confirmation needed');
  } else if (!config.yes) {
    const count = plan.releases.filter((r) => r.action === 'rollback').length;
    const what = config.drill ? `Drill: roll back ${count} release(s) and forward again` : `Roll back ${count} release(s)`;
    const confirmed = await deps.confirm(`${what} in ${escapeControls(context)}/${config.namespace}? Type "yes" to go ahead: `, deps.interrupts.signals.read);
    transcript.record({ type: 'confirmation', time: time(), confirmed, how: 'prompt' });
    throwIfInterrupted(deps, 'confirmation');
    if (!confirmed) throw usageError('not confirmed; nothing was changed');
  } else {
    transcript.record({ type: 'confirmation', time: time(), confirmed: true, how: '--yes' });
  }

  const stageOptions = (stage: Stage): ExecuteOptions => ({
    gate,
    bins,
    target,
    // Each stage is timed against the objective on its own: a slow rollback must not
    // starve the roll forward that puts production back where it was.
    budget: stage === 'rollback' ? budget : startBudget(config.timeoutMs, clock),
    interruption: () => deps.interrupts.current(),
    onReleaseDone: (done) => transcript.record({ type: 'release-result', time: time(), ...done }),
    wait: stepOptions.wait,
    parallel: config.parallel,
  });
  /** Runs one stage between its `stage` start and end events, timed against its own budget. */
  const runStage = async <T extends { readonly failure: unknown }>(stage: Stage, body: (options: ExecuteOptions) => Promise<T>): Promise<T> => {
    const options = stageOptions(stage);
    transcript.record({ type: 'stage', time: time(), stage, status: 'start', budgetMs: config.timeoutMs });
    const result = await body(options);
    transcript.record({
      type: 'stage',
      time: time(),
      stage,
      status: 'end',
      budgetMs: config.timeoutMs,
      elapsedMs: Math.round(options.budget.elapsedMs()),
      ok: result.failure === undefined,
    });
    return result;
  };
  const recordStates = async (moment: StateMoment, releases: readonly ReleaseRollback[]) => {
    // After an interrupt the reads are aborted anyway; the summary says where things stand.
    if (deps.interrupts.current() !== undefined) return;
    for (const release of releases) {
      const found = await readReleaseState(gate, bins, target, release.release);
      transcript.record({ type: 'release-state', time: time(), moment, release: release.release, ...found });
    }
  };

  const startedAtMs = clock.now().getTime();
  // The rollback, then --check-url, then (with --atomic, after a failure) the restore.
  const outcome = await runStage('rollback', (options) => runExecution(plan, executionOptions(run, options)));
  const { report } = outcome;
  state.releases = [...report.releases];
  state.readiness = outcome.readiness;
  state.restore = outcome.restore ?? null;
  await recordStates('after-rollback', report.touched);
  let stillAway = report.touched;
  if (config.drill && report.touched.length > 0) {
    if (outcome.failure !== undefined) deps.observer.note(deps.chalk.yellow('drill: the rollback failed; rolling every touched release forward again'));
    const forward = await runStage('forward', (options) => executeForward(report.touched, options));
    state.forward = [...forward.releases];
    stillAway = forward.notRestored;
    await recordStates('after-forward', report.touched);
    state.restoreCommands = stillAway.map((release) => formatCommand(restoreCommand(bins, target, release, config.timeoutMs, stepOptions)));
    if (deps.textOutput) {
      deps.writeOut(renderSummary(report.releases, [], deps.chalk));
      deps.writeOut(renderOutcomeExtras(state, deps.chalk));
      deps.writeOut(renderForwardSummary(forward.releases, state.restoreCommands, deps.chalk));
    }
    await annotate(run, startedAtMs, outcome.failure ?? forward.failure, outcome.failure !== undefined ? 'rollback' : forward.failure !== undefined ? 'forward' : undefined);
    // The drill's exit code is that of the first stage that failed.
    if (outcome.failure !== undefined) {
      state.failedStage = 'rollback';
      throw outcome.failure;
    }
    if (forward.failure !== undefined) {
      state.failedStage = 'forward';
      throw forward.failure;
    }
    return;
  }
  // After --atomic's restore only what it could not restore is left for a human.
  state.restoreCommands =
    outcome.restore !== undefined
      ? [...outcome.restore.manualCommands]
      : stillAway.map((release) => formatCommand(restoreCommand(bins, target, release, config.timeoutMs, stepOptions)));
  if (deps.textOutput) {
    deps.writeOut(renderSummary(report.releases, outcome.restore === undefined ? state.restoreCommands : [], deps.chalk));
    deps.writeOut(renderOutcomeExtras(state, deps.chalk));
  }
  await annotate(run, startedAtMs, outcome.failure);
  if (outcome.failure !== undefined) throw outcome.failure;
}
