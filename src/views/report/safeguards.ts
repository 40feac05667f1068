import { commandInline, type Block, type Inline } from './document.js';
import { humanDuration, utc } from './format.js';
import type { ReportModel, Safeguards } from './model.js';

type Table = Extract<Block, { kind: 'table' }>;

const ok = (good: boolean, text: string): Inline => ({ status: good ? 'ok' : 'bad', text });

function approvedPlanBlocks(plans: Safeguards['approvedPlans']): Block[] {
  if (plans.length === 0) return [];
  const table: Table = {
    kind: 'table',
    head: ['Approved plan', 'File', 'sha256', 'Made by', 'Made at (UTC)'],
    rows: plans.map((p) => [p.action === 'written' ? 'written (--plan-out)' : 'verified (--plan)', { code: p.path }, { code: p.sha256 }, `${p.createdBy.user} on ${p.createdBy.host}`, utc(p.createdAt)]),
  };
  return [{ kind: 'heading', level: 3, text: 'Approved plan' }, table];
}

function readinessBlocks(checks: Safeguards['readiness']): Block[] {
  if (checks.length === 0) return [];
  const table: Table = {
    kind: 'table',
    head: ['Readiness check', 'Result', 'Attempts', 'Last answer', 'Duration'],
    rows: checks.map((c) => [{ code: c.url }, ok(c.ok, c.ok ? 'passed' : 'FAILED'), String(c.attempts), c.lastStatus === null ? (c.lastError ?? '–') : `HTTP ${c.lastStatus}`, humanDuration(c.durationMs)]),
  };
  return [{ kind: 'heading', level: 3, text: 'Readiness checks (--check-url)' }, table];
}

function restoreBlocks(restore: Safeguards['restore']): Block[] {
  if (restore === null) return [];
  const { start, end } = restore;
  const blocks: Block[] = [
    { kind: 'heading', level: 3, text: 'Restore (--atomic)' },
    { kind: 'para', content: `At ${utc(start.time)}, with a budget of ${start.budget}: ${start.reason}. Last changed first:` },
  ];
  if (end === null) {
    blocks.push({ kind: 'list', ordered: true, items: start.releases.map((r) => [{ code: r.release }, ` back to revision ${r.to}`]) });
    blocks.push({ kind: 'para', content: { status: 'bad', text: 'The record ends before the restore did: how it went is not recorded.' } });
    return blocks;
  }
  blocks.push({
    kind: 'table',
    head: ['Release', 'Back to revision', 'Result'],
    rows: end.releases.map((r) => [{ code: r.release }, String(r.to), r.result === 'restored' ? ok(true, 'restored') : ok(false, `restore-failed: ${r.reason}`)]),
  });
  blocks.push({ kind: 'para', content: end.ok ? ok(true, 'Restore complete.') : ok(false, 'Restore FAILED: run by hand:') });
  if (end.manualCommands.length > 0) blocks.push({ kind: 'list', ordered: false, items: end.manualCommands.map((c) => commandInline(c)) });
  return blocks;
}

function annotationBlocks(annotations: Safeguards['annotations']): Block[] {
  if (annotations.length === 0) return [];
  const table: Table = {
    kind: 'table',
    head: ['Grafana annotation', 'Result', 'Tags', 'Text'],
    rows: annotations.map((a) => [{ code: a.url }, a.ok ? ok(true, `posted (id ${a.id ?? '?'})`) : ok(false, `FAILED: ${a.error ?? ''}`), a.tags.join(', '), a.text]),
  };
  return [{ kind: 'heading', level: 3, text: 'Annotation (--annotate)' }, table];
}

function stopBlocks(safeguards: Safeguards): Block[] {
  const { watchdog, interrupts } = safeguards;
  const blocks: Block[] = [];
  if (interrupts.length > 0) {
    blocks.push({ kind: 'heading', level: 3, text: 'Interrupts' }, {
      kind: 'table',
      head: ['Time (UTC)', 'Signal', 'What the tool did', 'Forwarded to'],
      rows: interrupts.map((i) => [utc(i.time), `${i.signal} (#${i.count})`, i.action, i.forwardedTo === undefined || i.forwardedTo.length === 0 ? '–' : i.forwardedTo.map((c) => `${c.file} (pid ${c.pid})`).join(', ')]),
    });
  }
  if (watchdog.length > 0) {
    blocks.push({ kind: 'heading', level: 3, text: 'Watchdog' }, {
      kind: 'table',
      head: ['#', 'Command', 'Allowed', 'Grace', 'Ended with', 'What happened'],
      rows: watchdog.map((w) => [String(w.id), commandInline(w.command), humanDuration(w.allowedMs), humanDuration(w.graceMs), w.signal ?? '–', { status: 'bad', text: w.message }]),
    });
  }
  return blocks;
}

/**
 * What guarded the run and what it left outside itself: the approved plan it ran,
 * its readiness checks, the --atomic restore, the Grafana annotation, interrupts and the
 * watchdog. Each part only when the run recorded it; the heading always, so that an
 * auditor sees there was nothing to show.
 */
export function safeguardBlocks(model: ReportModel): Block[] {
  const parts = [
    ...approvedPlanBlocks(model.safeguards.approvedPlans),
    ...readinessBlocks(model.safeguards.readiness),
    ...restoreBlocks(model.safeguards.restore),
    ...annotationBlocks(model.safeguards.annotations),
    ...stopBlocks(model.safeguards),
  ];
  return [
    { kind: 'heading', level: 2, text: 'Safeguards and records' },
    ...(parts.length === 0 ? [{ kind: 'para', content: 'No approved plan, readiness check, restore, annotation, interrupt or watchdog was recorded.' } as Block] : parts),
  ];
}
