import { alreadyLine } from '../domain/explain.js';
import { workloadRef, type ReleasePlan } from '../domain/plan.js';
import { escapeControls } from '../domain/sanitize.js';
import type { RunReport } from './jsonDocument.js';

/**
 * GitHub Actions renders the Markdown appended to the file named by $GITHUB_STEP_SUMMARY
 * on the run's summary page. Each step gets its own file, so we append (never truncate).
 */
export const STEP_SUMMARY_ENV = 'GITHUB_STEP_SUMMARY';

/**
 * Text in a table cell or paragraph: pipes would end the cell, newlines the row, and GitHub
 * drops what looks like an HTML tag (our messages say things like `<release>=<revision>`).
 */
function cell(text: string): string {
  return escapeControls(text.replace(/\r?\n/g, ' '))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\|/g, '\\|');
}

function code(text: string): string {
  return `\`${escapeControls(text).replace(/`/g, "'")}\``;
}

function planRow(release: ReleasePlan): string {
  if (release.action === 'skip') {
    const current = release.current === undefined ? '—' : `${release.current.revision} (${release.current.status})`;
    return `| ${cell(release.release)} | ${cell(current)} | — | skip: ${cell(release.reason)} | — |`;
  }
  if (release.action === 'already-rolled-back' || release.action === 'already-applied') {
    return `| ${cell(release.release)} | ${cell(`${release.current.revision} (${release.current.status})`)} | — | ${cell(alreadyLine(release))} | — |`;
  }
  const revision = (entry: { revision: number; status: string; chart: string; appVersion: string }) =>
    cell(`${entry.revision} (${entry.status}) ${entry.chart}${entry.appVersion === '' ? '' : ` app ${entry.appVersion}`}`);
  const deployments = release.deployments.length === 0 ? 'none' : release.deployments.map(workloadRef).join(', ');
  return `| ${cell(release.release)} | ${revision(release.current)} | ${revision(release.target)}${release.pinned ? ' (pinned)' : ''} | rollback | ${cell(deployments)} |`;
}

function resultDetail(result: RunReport['releases'][number]): string {
  switch (result.result) {
    case 'rolled-back':
      return `from ${result.from} to ${result.to}, rollouts healthy`;
    case 'rollback-failed':
    case 'unhealthy':
      return `from ${result.from} to ${result.to}: ${result.reason}`;
    case 'interrupted':
      return `from ${result.from} to ${result.to}, not verified: ${result.reason}`;
    case 'not-started':
      return `not touched, still at ${result.from}`;
    case 'lost-race':
      return `not touched, still at ${result.from}: ${result.reason}`;
    case 'skipped':
    case 'already-rolled-back':
    case 'already-applied':
      return result.reason;
  }
}

function fenced(lines: readonly string[]): string[] {
  return ['```sh', ...lines.map((line) => escapeControls(line)), '```'];
}

/** The run as Markdown for the job summary: outcome, plan table, results, restore commands. */
export function renderStepSummary(report: RunReport): string {
  const { outcome } = report;
  const ok = outcome.exitCode === 0;
  const lines: string[] = [
    `### ${ok ? '✅' : '❌'} videokit-rollback${report.mode === null ? '' : ` ${report.mode}`}: ${outcome.status} (exit ${outcome.exitCode})`,
    '',
    cell(outcome.message),
  ];
  for (const detail of outcome.details) lines.push(`- ${cell(detail)}`);
  if (outcome.hint !== null) lines.push('', `Hint: ${cell(outcome.hint)}`);

  const where = [
    report.context === null ? undefined : `context ${code(report.context)}`,
    report.namespace === null ? undefined : `namespace ${code(report.namespace)}`,
    report.targetEnv === null ? undefined : `TARGET_ENV ${code(report.targetEnv)}`,
    report.timeout === null ? undefined : `timeout ${code(report.timeout)}`,
  ].filter((part) => part !== undefined);
  if (where.length > 0) lines.push('', where.join(' · '));

  if (report.plan !== null) {
    lines.push('', '| release | current | target | action | workloads watched |', '|---|---|---|---|---|');
    lines.push(...report.plan.releases.map(planRow));
  }
  if (report.problems.length > 0) {
    lines.push('', '| release | planning problem |', '|---|---|');
    lines.push(...report.problems.map((p) => `| ${cell(p.release)} | ${cell(p.message)} |`));
  }
  if (report.releases.length > 0) {
    lines.push('', '| release | result | detail |', '|---|---|---|');
    lines.push(...report.releases.map((r) => `| ${cell(r.release)} | ${r.result} | ${cell(resultDetail(r))} |`));
  }
  if (report.warnings.length > 0) {
    lines.push('', ...report.warnings.map((w) => `> ⚠️ ${cell(w)}`));
  }
  if (report.mode === 'dry-run' && report.plannedCommands.length > 0) {
    const commands = report.plannedCommands.map((c) => c.command);
    lines.push('', '<details><summary>Commands <code>--execute</code> would run</summary>', '', ...fenced(commands), '', '</details>');
  }
  if (report.restoreCommands.length > 0) {
    lines.push('', 'To put the touched releases back where they were before this run:', '', ...fenced(report.restoreCommands));
  }
  if (report.transcript !== null) lines.push('', `Transcript: ${code(report.transcript)}`);
  if (report.transcriptDigest !== null) lines.push('', `Seal digest (sha256): ${code(report.transcriptDigest)}`);
  return `${lines.join('\n')}\n\n`;
}
