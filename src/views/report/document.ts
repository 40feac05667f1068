import { quoteArg, shownWords } from '../../domain/shellQuote.js';
import type { CommandRow, Moment, ReportModel, StateRow, ValidationRow } from './model.js';
import { safeguardBlocks } from './safeguards.js';
import { humanDuration, utc } from './format.js';

/**
 * The report as a small document tree (headings, tables, lists, inline code and
 * emphasis) that the Markdown and HTML renderers both lay out: one wording, two formats.
 */
export type Inline =
  | string
  | { readonly code: string }
  /** A command, as its shell-quoted words: laid out so that it wraps only between words. */
  | { readonly command: readonly string[] }
  | { readonly strong: string }
  | { readonly status: 'ok' | 'bad' | 'warn'; readonly text: string }
  | readonly Inline[];

/** A command from its argv (the record's command-start has it), else from the shown command line. */
export function commandInline(command: string, argv?: readonly string[] | null): Inline {
  return { command: argv === undefined || argv === null ? shownWords(command) : argv.map(quoteArg) };
}

/** Array.isArray does not narrow readonly arrays. */
export const isInlineList = (content: Inline): content is readonly Inline[] => Array.isArray(content);

export type Block =
  | { readonly kind: 'heading'; readonly level: 2 | 3; readonly text: string }
  | { readonly kind: 'para'; readonly content: Inline }
  | { readonly kind: 'table'; readonly head: readonly string[]; readonly rows: readonly (readonly Inline[])[]; readonly keyValue?: boolean }
  | { readonly kind: 'list'; readonly ordered: boolean; readonly items: readonly Inline[] };

export interface ReportDocument {
  readonly title: string;
  readonly blocks: readonly Block[];
}

function clock(iso: string): string {
  return /T(\d{2}:\d{2}:\d{2})/.exec(iso)?.[1] ?? iso;
}

const MOMENT_LABEL: Record<Moment, string> = {
  before: 'before',
  'after-rollback': 'after rollback',
  'after-forward': 'after roll forward',
};

const STAGE_LABEL = { rollback: 'rollback', forward: 'roll forward' } as const;

function windowText(model: ReportModel): string {
  const start = Date.parse(model.window.start);
  const end = Date.parse(model.window.end);
  const sameDay = model.window.start.slice(0, 10) === model.window.end.slice(0, 10);
  const span = Number.isNaN(start) || Number.isNaN(end) ? '' : ` (${humanDuration(end - start)})`;
  return `${utc(model.window.start)} – ${sameDay ? `${clock(model.window.end)} UTC` : utc(model.window.end)}${span}`;
}

function objectiveInline(model: ReportModel): Inline {
  const budget = `healthy within ${model.run.timeout} (--timeout)`;
  if (model.objective.met === null) return `${budget}; not measured: nothing was executed`;
  const measured = model.objective.stages.map((stage) =>
    stage.elapsedMs === null
      ? `${STAGE_LABEL[stage.stage]} did not finish`
      : `${STAGE_LABEL[stage.stage]} ${stage.ok === true ? 'healthy after' : 'failed after'} ${humanDuration(stage.elapsedMs)}`,
  );
  return [budget, ': ', model.objective.met ? { status: 'ok', text: 'met' } : { status: 'bad', text: 'not met' }, ` (${measured.join('; ')})`];
}

function outcomeInline(model: ReportModel): Inline {
  if (model.outcome === null) return { status: 'bad', text: 'no outcome recorded (the run was killed or is still running)' };
  const { status, exitCode, message } = model.outcome;
  return [{ status: exitCode === 0 ? 'ok' : 'bad', text: `${status}, exit ${exitCode}` }, `: ${message}`];
}

function overview(model: ReportModel): Block[] {
  const { run } = model;
  const rows: Inline[][] = [
    ['Window', windowText(model)],
    ['Kind', run.drill ? 'rollback drill (roll back, verify, roll forward, verify)' : run.mode === 'execute' ? 'rollback' : 'dry-run (nothing changed)'],
    ['TARGET_ENV', run.targetEnv === null ? '(unset)' : { code: run.targetEnv }],
    ['Context', run.context === null ? '(unresolved)' : [{ code: run.context }, run.contextImplicit ? ' (resolved from the kubeconfig)' : '']],
    ['Namespace', { code: run.namespace }],
    ['Releases', run.releases.flatMap((r, i): Inline[] => (i === 0 ? [{ code: r }] : [', ', { code: r }]))],
    ['Objective', objectiveInline(model)],
    ['Outcome', outcomeInline(model)],
    ['Operator', `${run.user} on ${run.host}, ${run.tool}`],
    ['Command', commandInline('', ['videokit-rollback', ...run.argv])],
  ];
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: 'Overview' }, { kind: 'table', head: ['', ''], rows, keyValue: true }];
  if (model.truncated) blocks.push({ kind: 'para', content: { status: 'warn', text: 'The transcript ends in a torn line (the run was killed while writing); it was left out.' } });
  return blocks;
}

function statusCell(row: StateRow): Inline {
  const parts: Inline[] = [];
  if (row.status !== null) parts.push(row.status === 'deployed' ? { status: 'ok', text: 'deployed' } : { status: 'warn', text: row.status });
  if (row.podsReady !== null) {
    const healthy = row.podsReady.ready === row.podsReady.desired;
    parts.push(parts.length > 0 ? ', ' : '', healthy ? `pods ${row.podsReady.ready}/${row.podsReady.desired} ready` : { status: 'bad', text: `pods ${row.podsReady.ready}/${row.podsReady.desired} ready` });
  } else if (row.deploymentCount === 0) parts.push(parts.length > 0 ? ', ' : '', 'no workloads');
  if (row.problem !== null) parts.push(parts.length > 0 ? '; ' : '', { status: 'warn', text: `not fully read: ${row.problem}` });
  return parts.length === 0 ? '–' : parts;
}

function beforeAfter(model: ReportModel): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: 'Before and after' }];
  if (model.states.length === 0) {
    blocks.push({ kind: 'para', content: 'No release state was recorded (the run stopped before the planning reads).' });
    return blocks;
  }
  blocks.push({
    kind: 'table',
    head: ['Release', 'Phase', 'Helm revision', 'Chart version', 'App version', 'Images', 'Status'],
    rows: model.states.map((row) => [
      { code: row.release },
      MOMENT_LABEL[row.moment],
      row.revision === null ? '–' : row.rolledBackTo === null ? String(row.revision) : `${row.revision} (rollback to ${row.rolledBackTo})`,
      row.chartVersion ?? row.chart ?? '–',
      row.appVersion ?? '–',
      row.images.length === 0 ? '–' : row.images.flatMap((image, i): Inline[] => (i === 0 ? [{ code: image }] : [' ', { code: image }])),
      statusCell(row),
    ]),
  });
  blocks.push({
    kind: 'para',
    content:
      'A rollback creates a new Helm revision carrying the target revision\'s chart and values (helm describes it as "Rollback to N"), so "after" shows a new revision number, marked with the revision whose content it carries, with that revision\'s chart and app version. Images are those of the workloads\' (Deployments, StatefulSets, DaemonSets) pod templates; pods ready are their ready/desired Pods when each row was read.',
  });
  return blocks;
}

function exitText(row: CommandRow): Inline {
  if (!row.ended) return { status: 'bad', text: 'did not end' };
  if (row.spawnError !== null) return { status: 'bad', text: 'not started' };
  if (row.timedOut) return { status: 'bad', text: 'watchdog' };
  if (row.signal !== null) return { status: 'bad', text: row.signal };
  return row.exitCode === 0 ? '0' : { status: 'bad', text: String(row.exitCode) };
}

function procedureBlocks(model: ReportModel): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: 'Procedure' }];
  if (model.dryRun !== null) {
    const writes = model.dryRun.planned.filter((p) => p.effect === 'write');
    blocks.push(
      { kind: 'heading', level: 3, text: 'Dry-run beforehand' },
      {
        kind: 'para',
        content: `At ${utc(model.dryRun.start)} a dry-run ran ${model.dryRun.reads} read command(s) (outcome: ${model.dryRun.status ?? 'none recorded'}) and listed ${model.dryRun.planned.length} command(s) for --execute, ${writes.length} of them writes:`,
      },
      { kind: 'list', ordered: true, items: model.dryRun.planned.map((p) => commandInline(p.command)) },
    );
  }
  blocks.push({ kind: 'heading', level: 3, text: model.run.mode === 'execute' ? 'Execution' : 'Commands run' });
  if (model.procedure.length === 0) {
    blocks.push({ kind: 'para', content: 'No command ran.' });
    return blocks;
  }
  blocks.push({
    kind: 'table',
    head: ['#', 'Time (UTC)', 'Phase', 'Effect', 'Command', 'Exit', 'Duration'],
    rows: model.procedure.map((row) => [
      String(row.id),
      clock(row.time),
      row.phase,
      row.effect === 'write' ? { strong: 'write' } : 'read',
      commandInline(row.command, row.argv),
      exitText(row),
      row.durationMs === null ? '–' : humanDuration(row.durationMs),
    ]),
  });
  return blocks;
}

function podsCells(row: ValidationRow): Inline[] {
  if (row.pods === null) return ['–', '–'];
  const statuses = Object.entries(row.pods.statuses).map(([status, count]) => `${count} ${status}`).join(', ');
  const ready = `${row.pods.ready}/${row.pods.pods}${statuses === '' ? '' : ` (${statuses})`}`;
  return [row.pods.ready === row.pods.pods && row.pods.pods > 0 ? ready : { status: 'bad', text: ready }, String(row.pods.restarts)];
}

function validationBlocks(model: ReportModel): Block[] {
  const blocks: Block[] = [{ kind: 'heading', level: 2, text: 'Validation' }];
  if (model.validation.length === 0) {
    blocks.push({ kind: 'para', content: model.run.mode === 'execute' ? 'No release reached verification.' : 'A dry-run verifies nothing.' });
    return blocks;
  }
  blocks.push({
    kind: 'table',
    head: ['Stage', 'Release', 'Revisions', 'Result', 'Time to healthy', 'Pods ready', 'Restarts'],
    rows: model.validation.map((row) => [
      STAGE_LABEL[row.stage],
      { code: row.release },
      `${row.from} → ${row.to}`,
      row.healthy ? { status: 'ok', text: row.result } : { status: 'bad', text: `${row.result}: ${row.reason ?? ''}` },
      row.healthy ? humanDuration(row.durationMs) : `not healthy (${humanDuration(row.durationMs)})`,
      ...podsCells(row),
    ]),
  });
  blocks.push({
    kind: 'para',
    content: 'Time to healthy runs from the start of the release\'s helm rollback to the end of its last kubectl rollout status; pods are from the kubectl get pods listing taken right after.',
  });
  return blocks;
}

function observationBlocks(model: ReportModel): Block[] {
  const items: Inline[] = model.observations.map((o) => {
    const text: Inline = o.kind === 'failure' || o.kind === 'not-restored' ? { status: 'bad', text: o.text } : o.kind === 'restored' ? { status: 'ok', text: o.text } : o.text;
    return o.command === undefined ? text : [text, ' ', commandInline(o.command)];
  });
  return [
    { kind: 'heading', level: 2, text: 'Observations' },
    items.length === 0 ? { kind: 'para', content: 'None: no release skipped, no revision passed over, no warning, no failure.' } : { kind: 'list', ordered: false, items },
  ];
}

export function buildReportDocument(model: ReportModel): ReportDocument {
  const what = model.run.drill ? 'Rollback drill' : model.run.mode === 'execute' ? 'Rollback' : 'Dry-run';
  return {
    title: `${what}: ${model.run.releases.join(', ')} in ${model.run.namespace}${model.run.targetEnv === null ? '' : ` (${model.run.targetEnv})`}, ${model.window.start.slice(0, 10)}`,
    blocks: [...overview(model), ...beforeAfter(model), ...procedureBlocks(model), ...validationBlocks(model), ...safeguardBlocks(model), ...observationBlocks(model)],
  };
}
