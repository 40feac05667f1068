import type { ClusterTarget } from '../domain/commandSpec.js';
import { formatCommand } from '../domain/commandSpec.js';
import { asFailure, RollbackFailure, usageError } from '../domain/errors.js';
import type { OutcomeFacts } from '../domain/outcome.js';
import { executeForward, type ExecuteOptions } from '../execute/executeRollback.js';
import { readReleaseState, stateFromReading } from '../execute/readReleaseState.js';
import { forwardSteps, restoreCommand, rollbackSteps } from '../execute/steps.js';
import { runExecution } from '../execute/runExecution.js';
import type { ReleaseResult, Stage, StateMoment } from '../domain/vocabulary.js';
import { planAgeProblem } from '../plan/approval/comparePlans.js';
import { annotate } from './annotate.js';
import { executionOptions } from './executeAndReport.js';
import { planDocumentAndDiff, writeApprovedPlan, type PerformDeps, type RunContext } from './runContext.js';
import { checkWaitStrategy, detectHelmVersion } from '../plan/helmVersion.js';
import { startRecord } from './startRecord.js';
import { planRollback } from '../plan/planRollback.js';
import { describeFailure, readCluster } from '../plan/readCluster.js';
import { hintForProblems } from '../plan/toolErrors.js';
import type { ReleaseRollback, RollbackPlan } from '../plan/types.js';
import type { PlannedCommand } from '../views/runEvents.js';
import type { CommandGate, CommandObserver } from '../process/gate.js';
import { startBudget, type Budget } from '../process/budget.js';
import { createCommandGate } from '../process/gate.js';
import { checkHelmEnvironment, helmEnvironmentRefusal } from '../domain/helmEnvironment.js';
import { kubectlCurrentContext, type LockIdentity } from '../tools/kubectl.js';
import { whoAmI } from '../process/whoAmI.js';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import { checkTargetEnv, NO_TARGET_ENV_WARNING } from '../domain/targetEnv.js';
import type { RunConfig } from './runConfig.js';

/** How a run ended, as the app knows it: what outcomeOf() decides the status and exit code from. */
export interface RunOutcome extends OutcomeFacts {
  readonly releases: readonly ReleaseResult[];
  /** What is left for a human to run to put the releases back. */
  readonly restoreCommands: readonly string[];
}

/**
 * A finished run: its outcome, and the gate that ran its commands. The CLI signs the
 * sealed record through it: the signing command is shown and put in the JSON document
 * like every other, but runs after the seal, so the record itself cannot hold it.
 */
export interface RunResult {
  readonly outcome: RunOutcome;
  readonly gate: CommandGate | undefined;
}

/** What an --execute's stages did. */
type Executed = Pick<RunOutcome, 'failure' | 'failedStage' | 'releases' | 'restoreCommands'>;

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
async function contextFromKubeconfig(config: RunConfig, deps: PerformDeps, gate: CommandGate, time: () => string): Promise<string> {
  const result = await gate.run(kubectlCurrentContext(config.kubectl), { phase: 'context', release: null });
  throwIfInterrupted(deps, 'context resolution');
  const resolved = result.stdout.trim();
  if (result.exitCode !== 0 || resolved === '' || resolved.includes('\n')) {
    throw usageError(`no --context given and the kubeconfig names none: ${describeFailure('kubectl config current-context', result)}`, 'pass --context or set KUBE_CONTEXT');
  }
  deps.sink.emit({ type: 'context-resolved', time: time(), context: resolved, source: 'kubeconfig' });
  return resolved;
}

/** The planning reads, the states before, and the plan; a refused plan throws with its problems. */
async function readAndPlan(run: RunContext): Promise<RollbackPlan> {
  const { config, deps, sink, time, target } = run;
  const snapshot = await readCluster(run.gate, run.bins, target, config.releases, config.concurrency);
  throwIfInterrupted(deps, 'planning');
  for (const reading of snapshot.releases) {
    sink.emit({ type: 'release-state', time: time(), moment: 'before', release: reading.release, ...stateFromReading(reading) });
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
    sink.emit({ type: 'problems', problems: planned.problems });
    const hint = hintForProblems(planned.problems.map((p) => p.message));
    throw new RollbackFailure('plan', `planning refused the run; nothing was changed`, {
      details: planned.problems.map((p) => `${p.release}: ${p.message}`),
      ...(hint === undefined ? {} : { hint }),
    });
  }
  sink.emit({ type: 'plan', time: time(), plan: planned.plan });
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
  const { config, deps, sink, time } = run;
  // Nothing to write (every release already rolled back): nothing to confirm.
  if (!plan.releases.some((r) => r.action === 'rollback')) {
    sink.emit({ type: 'nothing-to-confirm' });
    return;
  }
  if (config.yes) {
    sink.emit({ type: 'confirmation', time: time(), confirmed: true, how: '--yes' });
    return;
  }
  const rollbacks = plan.releases.filter((r) => r.action === 'rollback').length;
  const confirmed = await deps.confirm({ rollbacks, drill: config.drill, ...run.target }, deps.interrupts.signals.read);
  sink.emit({ type: 'confirmation', time: time(), confirmed, how: 'prompt' });
  throwIfInterrupted(deps, 'confirmation');
  if (!confirmed) throw usageError('not confirmed; nothing was changed');
}

/**
 * The gate and the start of the record: helm's environment checked before any command,
 * the identity reads, run-start. --timeout bounds the run from its record's start: the
 * identity reads before it are local (no cluster) and get a budget of their own, which
 * the run's then replaces.
 */
async function openRun(config: RunConfig, deps: PerformDeps, time: () => string, opened: (gate: CommandGate) => void): Promise<{ gate: CommandGate; budget: Budget }> {
  let current = startBudget(config.timeoutMs, deps.clock);
  const budget: Budget = { totalMs: config.timeoutMs, remainingMs: () => current.remainingMs(), elapsedMs: () => current.elapsedMs() };
  // The views follow commands through their events; the kept record is one of them.
  const observer: CommandObserver = {
    started: () => undefined,
    finished: () => undefined,
    recorded: (record, spec) => deps.sink.emit({ type: 'command-record', record, purpose: spec.purpose }),
  };
  const gate = createCommandGate({ mode: config.mode, runner: deps.runner, transcript: deps.sink, clock: deps.clock, budget, observer, signals: deps.interrupts.signals });
  opened(gate);
  // Before any command: nothing in helm's environment may point it at another cluster.
  const environment = checkHelmEnvironment(deps.env);
  const refusal = helmEnvironmentRefusal(environment);
  await startRecord(config, deps, gate, deps.record, refusal === undefined ? undefined : 'not read: the run was refused before any command');
  current = startBudget(config.timeoutMs, deps.clock);
  throwIfInterrupted(deps, 'the reads that start the record');
  deps.sink.emit({ type: 'environment-check', time: time(), ...environment });
  if (refusal !== undefined) throw refusal;
  refuseStalePlan(config, deps);
  return { gate, budget };
}

/** The context the run writes to: the one given, else the kubeconfig's (a dry-run only), guarded by TARGET_ENV. */
async function settleContext(config: RunConfig, deps: PerformDeps, gate: CommandGate, warn: (message: string) => void, time: () => string): Promise<string> {
  let context = config.context;
  let settings = config.settings;
  if (context === undefined) {
    context = await contextFromKubeconfig(config, deps, gate, time);
    settings = { ...config.settings, context: { value: context, source: 'kubeconfig', from: null } };
    deps.sink.emit({ type: 'settings', settings, context, contextSource: 'kubeconfig', resolved: false });
    warn(`no --context given: using the kubeconfig's current context "${context}"; --execute will need it explicit (--context ${context})`);
    checkTargetEnv(context, config.targetEnv);
  }
  deps.sink.emit({ type: 'settings', settings, context, contextSource: context === config.context ? config.contextSource : 'kubeconfig', resolved: true });
  return context;
}

/** Everything up to the plan's review: the record, the context, the reads, the plan, the approved plan and the diffs. */
async function preparePlan(config: RunConfig, deps: PerformDeps, opened: (gate: CommandGate) => void): Promise<{ run: RunContext; plan: RollbackPlan; document: Awaited<ReturnType<typeof planDocumentAndDiff>>['document'] }> {
  const time = () => deps.clock.now().toISOString();
  if (config.context !== undefined) checkTargetEnv(config.context, config.targetEnv);
  deps.sink.emit({ type: 'settings', settings: config.settings, context: config.context, contextSource: config.contextSource, resolved: false });
  const { gate, budget } = await openRun(config, deps, time, opened);
  const warn = (message: string) => deps.sink.emit({ type: 'warning', time: time(), message });
  if (config.mode === 'execute' && config.targetEnv === undefined) warn(NO_TARGET_ENV_WARNING);
  const context = await settleContext(config, deps, gate, warn, time);

  // helm's major version decides how --wait-strategy is spelled; read once, only when something depends on it.
  const needsHelmVersion = config.waitStrategy !== undefined || config.planOut !== undefined || config.approvedPlan !== undefined;
  const helmVersion = needsHelmVersion ? await detectHelmVersion(gate, config.helm) : undefined;
  if (helmVersion !== undefined) checkWaitStrategy(config.waitStrategy, helmVersion);

  const target: ClusterTarget = { context, namespace: config.namespace };
  const run: RunContext = { config, deps, gate, bins: { helm: config.helm, kubectl: config.kubectl }, target, budget, sink: deps.sink, time, warn, wait: config.waitStrategy, lock: lockIdentity(config, deps) };
  const plan = await readAndPlan(run);
  const { document, diff } = await planDocumentAndDiff(run, plan, helmVersion);
  throwIfInterrupted(deps, 'planning');
  deps.sink.emit({ type: 'reviewed', plannedCommands: plannedCommandsOf(run, plan), diff });
  return { run, plan, document };
}

/** The run after its inputs are valid; every failure is in the outcome, none thrown. */
export async function runRollback(config: RunConfig, deps: PerformDeps): Promise<RunResult> {
  let gate: CommandGate | undefined;
  const ended = (executed: Partial<Executed>): RunResult => ({
    outcome: { mode: config.mode, drill: config.drill, failure: undefined, failedStage: undefined, releases: [], restoreCommands: [], ...executed },
    gate,
  });
  try {
    const { run, plan, document } = await preparePlan(config, deps, (opened) => (gate = opened));
    if (config.mode === 'dry-run') {
      for (const command of plannedCommandsOf(run, plan)) {
        run.sink.emit({ type: 'command-planned', time: run.time(), release: command.release, effect: command.effect, command: command.command });
      }
      if (document !== undefined) writeApprovedPlan(run, document);
      return ended({});
    }
    await confirmRun(run, plan);
    return ended(await executeRun(run, plan));
  } catch (error) {
    return ended({ failure: asFailure(error) });
  }
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
  const { config, deps, sink, time } = run;
  const stageOptions = (stage: Stage): ExecuteOptions => ({
    gate: run.gate,
    bins: run.bins,
    target: run.target,
    // Each stage is timed against the objective on its own: a slow rollback must not
    // starve the roll forward that puts production back where it was.
    budget: stage === 'rollback' ? run.budget : startBudget(config.timeoutMs, deps.clock),
    interruption: () => deps.interrupts.current(),
    onReleaseDone: (done) => sink.emit({ type: 'release-result', time: time(), ...done }),
    wait: run.wait,
    lock: run.lock,
    currentTime: () => deps.clock.now(),
    parallel: config.parallel,
  });
  /** Runs one stage between its `stage` start and end events, timed against its own budget. */
  const runStage = async <T extends { readonly failure: unknown }>(stage: Stage, body: (options: ExecuteOptions) => Promise<T>): Promise<T> => {
    const options = stageOptions(stage);
    sink.emit({ type: 'stage', time: time(), stage, status: 'start', budgetMs: config.timeoutMs });
    const result = await body(options);
    const elapsedMs = Math.round(options.budget.elapsedMs());
    sink.emit({ type: 'stage', time: time(), stage, status: 'end', budgetMs: config.timeoutMs, elapsedMs, ok: result.failure === undefined });
    return result;
  };
  const recordStates = async (moment: StateMoment, releases: readonly ReleaseRollback[]) => {
    // After an interrupt the reads are aborted anyway; the summary says where things stand.
    if (deps.interrupts.current() !== undefined) return;
    for (const release of releases) {
      const found = await readReleaseState(run.gate, run.bins, run.target, release.release);
      sink.emit({ type: 'release-state', time: time(), moment, release: release.release, ...found });
    }
  };
  const restoreCommands = (releases: readonly ReleaseRollback[]) =>
    releases.map((release) => formatCommand(restoreCommand(run.bins, run.target, release, config.timeoutMs, { wait: run.wait })));
  return { runStage, recordStates, restoreCommands };
}

/** A drill after its rollback: every touched release rolled forward again, whatever happened. */
async function rollForward(run: RunContext, tools: ReturnType<typeof stageTools>, touched: readonly ReleaseRollback[], rollbackFailure: RollbackFailure | undefined) {
  if (rollbackFailure !== undefined) run.sink.emit({ type: 'forward-after-failure' });
  const forward = await tools.runStage('forward', (options) => executeForward(touched, options));
  run.sink.emit({ type: 'rolled-forward', forward: forward.releases });
  await tools.recordStates('after-forward', touched);
  // The drill's exit code is that of the first stage that failed.
  const failedStage: Stage | undefined = rollbackFailure !== undefined ? 'rollback' : forward.failure !== undefined ? 'forward' : undefined;
  return { failure: rollbackFailure ?? forward.failure, failedStage, restoreCommands: tools.restoreCommands(forward.notRestored) };
}

/** The rollback, then --check-url, then (with --atomic, after a failure) the restore; a drill rolls forward again. */
async function executeRun(run: RunContext, plan: RollbackPlan): Promise<Executed> {
  const tools = stageTools(run);
  const startedAtMs = run.deps.clock.now().getTime();
  const outcome = await tools.runStage('rollback', (options) => runExecution(plan, executionOptions(run, options)));
  const { releases, touched } = outcome.report;
  outcome.report.locksLeft.forEach(run.warn);
  run.sink.emit({ type: 'rolled-back', releases, readiness: outcome.readiness, restore: outcome.restore ?? null });
  // After --atomic's restore only what it could not restore is left for a human.
  const putBack = outcome.restore !== undefined ? [...outcome.restore.manualCommands] : tools.restoreCommands(touched);
  let done: Omit<Executed, 'releases'>;
  try {
    await tools.recordStates('after-rollback', touched);
    done = run.config.drill && touched.length > 0 ? await rollForward(run, tools, touched, outcome.failure) : { failure: outcome.failure, failedStage: undefined, restoreCommands: putBack };
  } catch (error) {
    // Releases have changed: an unforeseen error now must still say how to put each back.
    done = { failure: asFailure(error), failedStage: undefined, restoreCommands: putBack };
  }
  run.sink.emit({ type: 'restore-commands', restoreCommands: done.restoreCommands, failedStage: done.failedStage });
  await annotate(run, { startedAtMs, releases, failure: done.failure, failedStage: done.failedStage });
  return { ...done, releases };
}
