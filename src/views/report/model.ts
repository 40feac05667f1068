import { summarisePods, type PodSummary } from './podListing.js';
import type { EventOf, TranscriptEvent } from '../../domain/events.js';
import type { DeploymentInfo, HistoryEntry } from '../../domain/plan.js';
import type { OutcomeStatus, Stage, StateMoment } from '../../domain/vocabulary.js';
import { rolledBackTo } from '../../domain/lineage.js';

/**
 * The after-action report as data, built from one run's transcript events alone.
 * Pure: the Markdown and HTML renderers only lay this out.
 */
export interface ReportModel {
  readonly run: {
    readonly tool: string;
    readonly user: string;
    readonly host: string;
    readonly argv: readonly string[];
    readonly mode: 'dry-run' | 'execute';
    readonly drill: boolean;
    readonly targetEnv: string | null;
    readonly context: string | null;
    readonly contextImplicit: boolean;
    readonly namespace: string;
    readonly releases: readonly string[];
    readonly timeout: string;
  };
  readonly window: { readonly start: string; readonly end: string };
  readonly objective: {
    readonly budgetMs: number | null;
    /** null: nothing was executed, so there is nothing to measure. */
    readonly met: boolean | null;
    readonly stages: readonly StageTiming[];
  };
  /** null when the run ended without an outcome (killed): the report says so. */
  readonly outcome: { readonly status: OutcomeStatus; readonly exitCode: number; readonly message: string; readonly details: readonly string[] } | null;
  readonly states: readonly StateRow[];
  readonly procedure: readonly CommandRow[];
  readonly dryRun: DryRunSummary | null;
  readonly validation: readonly ValidationRow[];
  readonly observations: readonly Observation[];
  readonly restoreCommands: readonly string[];
  readonly safeguards: Safeguards;
  readonly truncated: boolean;
}

/** The run's checks, safeguards and outside records, as their events recorded them. */
export interface Safeguards {
  /** --plan-out wrote, or --plan verified, an approved plan. */
  readonly approvedPlans: readonly EventOf<'plan-document'>[];
  /** --check-url, after the rollouts. */
  readonly readiness: readonly EventOf<'readiness-check'>[];
  /** --atomic put changed releases back: why, to what, and how each went (null end: cut short). */
  readonly restore: { readonly start: EventOf<'restore-start'>; readonly end: EventOf<'restore-end'> | null } | null;
  /** --annotate: what was posted to Grafana. */
  readonly annotations: readonly EventOf<'annotation'>[];
  /** Commands ended for outliving their own time. */
  readonly watchdog: readonly EventOf<'watchdog'>[];
  readonly interrupts: readonly EventOf<'interrupt'>[];
}

export interface StageTiming {
  readonly stage: Stage;
  readonly budgetMs: number;
  /** From the stage's first command to its last rollout verified; null if the stage never ended. */
  readonly elapsedMs: number | null;
  readonly ok: boolean | null;
}

export type Moment = StateMoment;

export interface StateRow {
  readonly release: string;
  readonly moment: Moment;
  readonly revision: number | null;
  /** N when the revision is helm's `Rollback to N`: it carries N's chart and values. */
  readonly rolledBackTo: number | null;
  readonly status: string | null;
  readonly chart: string | null;
  readonly chartVersion: string | null;
  readonly appVersion: string | null;
  readonly images: readonly string[];
  /** Ready/desired replicas summed over the release's workloads (Deployments, StatefulSets, DaemonSets); null when unknown. */
  readonly podsReady: { readonly ready: number; readonly desired: number } | null;
  readonly deploymentCount: number | null;
  readonly problem: string | null;
}

export interface CommandRow {
  readonly id: number;
  readonly time: string;
  readonly phase: string;
  readonly release: string | null;
  readonly effect: 'read' | 'write';
  readonly command: string;
  /** The argv run (absent in older records). */
  readonly argv: readonly string[] | null;
  /** null while the command never ended in the transcript (a killed run). */
  readonly exitCode: number | null;
  readonly ended: boolean;
  readonly signal: string | null;
  readonly timedOut: boolean;
  readonly spawnError: string | null;
  readonly durationMs: number | null;
}

export interface DryRunSummary {
  readonly start: string;
  readonly status: string | null;
  readonly reads: number;
  readonly planned: readonly { readonly release: string; readonly effect: 'read' | 'write'; readonly command: string }[];
}

/** How one release fared in a stage: its release-result event, with the Pod listing summarised. */
export type ValidationRow = Omit<EventOf<'release-result'>, 'type' | 'time' | 'pods'> & { readonly pods: PodSummary | null };

export interface Observation {
  readonly kind: 'skipped' | 'passed-over' | 'warning' | 'failure' | 'restored' | 'not-restored' | 'interrupt' | 'note';
  readonly text: string;
  /** A command worth copying (a restore command), shown as code. */
  readonly command?: string;
}

type Run = readonly TranscriptEvent[];

/** Splits a transcript into its runs: appending keeps earlier runs, each opened by a run-start. */
export function splitRuns(events: readonly TranscriptEvent[]): Run[] {
  const runs: TranscriptEvent[][] = [];
  for (const event of events) {
    if (event.type === 'run-start') runs.push([event]);
    else runs.at(-1)?.push(event);
  }
  return runs;
}

function start(run: Run): EventOf<'run-start'> {
  const first = run[0];
  if (first?.type !== 'run-start') throw new Error('a run starts with run-start');
  return first;
}

/**
 * Which run the report is about: `index` (1-based) when given, else the last
 * --execute run (the dry-runs before it are its preparation), else the last run.
 */
export function selectRun(runs: readonly Run[], index?: number): { run: Run; position: number } {
  if (index !== undefined) {
    const run = runs[index - 1];
    if (run === undefined) throw new RangeError(`the transcript holds ${runs.length} run(s); there is no run ${index}`);
    return { run, position: index - 1 };
  }
  for (let i = runs.length - 1; i >= 0; i -= 1) {
    const run = runs[i];
    if (run !== undefined && start(run).mode === 'execute') return { run, position: i };
  }
  return { run: runs[runs.length - 1] ?? [], position: runs.length - 1 };
}

const of = <K extends TranscriptEvent['type']>(run: Run, type: K): Extract<TranscriptEvent, { type: K }>[] =>
  run.filter((e): e is Extract<TranscriptEvent, { type: K }> => e.type === type);

/** helm's `chart` column is `<name>-<version>`; the version starts at the first `-<digit>` that begins a dotted number. */
export function chartVersion(chart: string): string | null {
  const match = /^.+?-(v?\d+\.\d+(?:\.\d+)*(?:[-+][0-9A-Za-z.+-]*)?)$/.exec(chart);
  return match?.[1] ?? null;
}

function stateRow(release: string, moment: Moment, revision: HistoryEntry | null, deployments: readonly DeploymentInfo[] | null, problem: string | null): StateRow {
  const withStatus = (deployments ?? []).filter((d) => d.replicas !== undefined);
  return {
    release,
    moment,
    revision: revision?.revision ?? null,
    rolledBackTo: revision === null ? null : (rolledBackTo(revision) ?? null),
    status: revision?.status ?? null,
    chart: revision?.chart ?? null,
    chartVersion: revision === null ? null : chartVersion(revision.chart),
    appVersion: revision === null ? null : revision.appVersion || null,
    images: [...new Set((deployments ?? []).flatMap((d) => d.images))],
    podsReady:
      deployments === null || withStatus.length === 0 || withStatus.length !== deployments.length
        ? null
        : {
            ready: withStatus.reduce((sum, d) => sum + (d.readyReplicas ?? 0), 0),
            desired: withStatus.reduce((sum, d) => sum + (d.replicas ?? 0), 0),
          },
    deploymentCount: deployments?.length ?? null,
    problem,
  };
}

const MOMENT_ORDER: readonly Moment[] = ['before', 'after-rollback', 'after-forward'];

function stateRows(run: Run, releases: readonly string[]): StateRow[] {
  const states = of(run, 'release-state');
  const plan = of(run, 'plan')[0]?.plan;
  const rows: StateRow[] = [];
  for (const release of releases) {
    for (const moment of MOMENT_ORDER) {
      const state = states.filter((s) => s.release === release && s.moment === moment).at(-1);
      if (state !== undefined) {
        rows.push(stateRow(release, moment, state.revision, state.deployments, state.problem));
        continue;
      }
      // Transcripts written before release-state existed: the plan still knows "before".
      const planned = plan?.releases.find((r) => r.release === release);
      if (moment === 'before' && planned !== undefined) {
        rows.push(stateRow(release, moment, planned.current ?? null, planned.action === 'rollback' ? planned.deployments : null, null));
      }
    }
  }
  return rows;
}

function procedure(run: Run): CommandRow[] {
  const ends = new Map(of(run, 'command-end').map((e) => [e.id, e]));
  return of(run, 'command-start').map((s) => {
    const end = ends.get(s.id);
    return {
      id: s.id,
      time: s.time,
      phase: s.phase,
      release: s.release,
      effect: s.effect,
      command: s.command,
      argv: s.argv ?? null,
      exitCode: end?.exitCode ?? null,
      ended: end !== undefined,
      signal: end?.signal ?? null,
      timedOut: end?.timedOut ?? false,
      spawnError: end?.spawnError ?? null,
      durationMs: end?.durationMs ?? null,
    };
  });
}

function precedingDryRun(runs: readonly Run[], position: number, namespace: string): DryRunSummary | null {
  for (let i = position - 1; i >= 0; i -= 1) {
    const run = runs[i];
    if (run === undefined) continue;
    const head = start(run);
    if (head.mode === 'execute') return null; // an earlier execution ends the preparation
    if (head.namespace !== namespace) continue;
    return {
      start: head.time,
      status: of(run, 'outcome').at(-1)?.status ?? null,
      reads: of(run, 'command-start').length,
      planned: of(run, 'command-planned').map((p) => ({ release: p.release, effect: p.effect, command: p.command })),
    };
  }
  return null;
}

function stages(run: Run): StageTiming[] {
  const timings: StageTiming[] = [];
  for (const begin of of(run, 'stage').filter((s) => s.status === 'start')) {
    const end = of(run, 'stage').find((s) => s.status === 'end' && s.stage === begin.stage);
    timings.push({ stage: begin.stage, budgetMs: begin.budgetMs, elapsedMs: end?.elapsedMs ?? null, ok: end?.ok ?? null });
  }
  return timings;
}

const STAGE_WORD = { rollback: 'rollback', forward: 'roll forward' } as const;

function observations(run: Run, validation: readonly ValidationRow[], outcome: ReportModel['outcome']): Observation[] {
  const notes: Observation[] = [];
  const plan = of(run, 'plan')[0]?.plan;
  for (const release of plan?.releases ?? []) {
    if (release.action === 'skip') {
      notes.push({ kind: 'skipped', text: `${release.release} was skipped: ${release.reason}.` });
      continue;
    }
    if (release.action === 'already-rolled-back') {
      notes.push({ kind: 'skipped', text: `${release.release} was already rolled back: revision ${release.current.revision} is a rollback to ${release.rolledBackTo}; nothing was written.` });
      continue;
    }
    if (release.action === 'already-applied') {
      notes.push({ kind: 'skipped', text: `${release.release}: the approved rollback to ${release.target} was already applied (revision ${release.current.revision}); nothing was written.` });
      continue;
    }
    if (release.pinned) notes.push({ kind: 'note', text: `${release.release}: target revision ${release.target.revision} was pinned with --to-revision.` });
    for (const passed of release.passedOver) {
      notes.push({
        kind: 'passed-over',
        text: `${release.release}: revision ${passed.revision} (${passed.status}) was passed over: ${passed.reason}.`,
      });
    }
  }
  for (const resolved of of(run, 'context-resolved')) {
    notes.push({ kind: 'warning', text: `The context ${resolved.context} was resolved implicitly from the kubeconfig, not given with --context.` });
  }
  for (const warning of of(run, 'warning')) {
    if (warning.message.startsWith('no --context given')) continue; // said above, once
    notes.push({ kind: 'warning', text: `Warning: ${warning.message}.` });
  }
  for (const interrupt of of(run, 'interrupt')) {
    notes.push({ kind: 'interrupt', text: `Interrupted by ${interrupt.signal} (#${interrupt.count}) at ${interrupt.time}: ${interrupt.action}.` });
  }
  for (const row of validation) {
    if (row.healthy) continue;
    notes.push({ kind: 'failure', text: `${STAGE_WORD[row.stage]} of ${row.release} (revision ${row.from} to ${row.to}) ended ${row.result}: ${row.reason ?? 'no reason recorded'}.` });
  }
  const forward = validation.filter((row) => row.stage === 'forward');
  for (const row of forward) {
    if (row.healthy) notes.push({ kind: 'restored', text: `${row.release} was rolled forward to revision ${row.to}, the revision it had before the drill.` });
  }
  if (outcome !== null && outcome.exitCode !== 0) {
    notes.push({ kind: 'failure', text: `The run ended ${outcome.status} (exit ${outcome.exitCode}): ${outcome.message}.` });
    for (const detail of outcome.details) notes.push({ kind: 'failure', text: detail });
  }
  const succeeded = outcome !== null && outcome.exitCode === 0;
  for (const command of of(run, 'outcome').at(-1)?.restoreCommands ?? []) {
    notes.push(
      succeeded
        ? { kind: 'note', text: 'To undo this rollback later (back to the revision before the run):', command }
        : { kind: 'not-restored', text: 'Not restored: to put the release back where it was before the run:', command },
    );
  }
  if (outcome === null) notes.push({ kind: 'failure', text: 'The transcript ends without an outcome: the run was killed or is still running.' });
  return notes;
}

function safeguards(run: Run): Safeguards {
  const restoreStart = of(run, 'restore-start').at(-1);
  return {
    approvedPlans: of(run, 'plan-document'),
    readiness: of(run, 'readiness-check'),
    restore: restoreStart === undefined ? null : { start: restoreStart, end: of(run, 'restore-end').at(-1) ?? null },
    annotations: of(run, 'annotation'),
    watchdog: of(run, 'watchdog'),
    interrupts: of(run, 'interrupt'),
  };
}

export function buildReportModel(events: readonly TranscriptEvent[], options: { run?: number; truncated?: boolean } = {}): ReportModel {
  const runs = splitRuns(events);
  const { run, position } = selectRun(runs, options.run);
  const head = start(run);
  const outcomeEvent = of(run, 'outcome').at(-1);
  const outcome =
    outcomeEvent === undefined
      ? null
      : { status: outcomeEvent.status, exitCode: outcomeEvent.exitCode, message: outcomeEvent.message, details: outcomeEvent.details ?? [] };
  const resolved = of(run, 'context-resolved')[0];
  const validation: ValidationRow[] = of(run, 'release-result').map(({ type: _type, time: _time, pods, ...row }) => ({
    ...row,
    pods: pods === null ? null : summarisePods(pods),
  }));
  const timings = stages(run);
  const budgetMs = timings[0]?.budgetMs ?? null;
  const executed = head.mode === 'execute' && timings.length > 0;
  const met = !executed
    ? null
    : outcome !== null && outcome.exitCode === 0 && timings.every((t) => t.ok === true && t.elapsedMs !== null && t.elapsedMs <= t.budgetMs);

  return {
    run: {
      tool: `${head.tool.name} ${head.tool.version}`,
      user: head.user,
      host: head.host,
      argv: head.argv,
      mode: head.mode,
      drill: head.drill === true,
      targetEnv: head.targetEnv,
      context: head.context ?? resolved?.context ?? null,
      contextImplicit: head.context === null && resolved !== undefined,
      namespace: head.namespace,
      releases: head.releases,
      timeout: head.timeout,
    },
    window: { start: head.time, end: outcomeEvent?.time ?? run.at(-1)?.time ?? head.time },
    objective: { budgetMs, met, stages: timings },
    outcome,
    states: stateRows(run, head.releases),
    procedure: procedure(run),
    dryRun: head.mode === 'execute' ? precedingDryRun(runs, position, head.namespace) : null,
    validation,
    observations: observations(run, validation, outcome),
    restoreCommands: outcomeEvent?.restoreCommands ?? [],
    safeguards: safeguards(run),
    truncated: options.truncated === true,
  };
}
