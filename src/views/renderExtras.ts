import type { ChalkInstance } from 'chalk';
import type { RestoreReport } from '../domain/records.js';
import type { ReadinessResult } from '../domain/vocabulary.js';
import { displayUrl } from '../process/redact.js';
import { annotationsUrl } from '../tools/grafana.js';
import { escapeControls as esc, escapeControlsDeep } from '../domain/sanitize.js';

/** After the planned commands: what --atomic, --check-url and --annotate will add to --execute. */
export function renderRunOptions(
  config: { readonly atomic: boolean; readonly checkUrls: readonly string[]; readonly annotate: { readonly baseUrl: string } | undefined },
  c: ChalkInstance,
): string {
  const lines: string[] = [];
  if (config.atomic) {
    lines.push('  --atomic: if a release fails to roll back or to become healthy, the releases already changed are rolled forward again to the revisions they have now, last changed first, with the same waits');
  }
  for (const url of config.checkUrls) lines.push(`  then poll ${esc(displayUrl(url))} until it answers 2xx, within what is left of the budget`);
  if (config.annotate !== undefined) lines.push(`  then post a Grafana annotation to ${esc(annotationsUrl(config.annotate.baseUrl))}`);
  return lines.length === 0 ? '' : `${c.bold('Then --execute also')}\n${lines.join('\n')}\n`;
}

function renderReadiness(checks: readonly ReadinessResult[], c: ChalkInstance): string[] {
  if (checks.length === 0) return [];
  return [
    '',
    c.bold('Readiness checks'),
    ...checks.map(escapeControlsDeep).map((check) =>
      check.ok
        ? c.green(`  ${check.url}: ${check.lastStatus} after ${check.attempts} attempt(s), ${(check.durationMs / 1000).toFixed(1)}s`)
        : c.red(`  ${check.url}: NOT ready after ${check.attempts} attempt(s), ${(check.durationMs / 1000).toFixed(1)}s: ${check.lastError}`),
    ),
  ];
}

function renderRestore(unsafe: RestoreReport | null, c: ChalkInstance): string[] {
  if (unsafe === null) return [];
  const restore = escapeControlsDeep(unsafe);
  const lines = ['', c.bold(`Restore (--atomic) ${restore.ok ? 'complete' : 'FAILED'}`)];
  for (const r of restore.releases) {
    lines.push(r.result === 'restored' ? c.green(`  ${r.release}: restored to revision ${r.to}`) : c.red(`  ${r.release}: restore to revision ${r.to} FAILED: ${r.reason}`));
  }
  if (!restore.ok) {
    lines.push('', c.red('Run these commands, in this order, to finish the restore:'));
    lines.push(...restore.manualCommands.map((command) => `  ${command}`));
  }
  return lines;
}

/** The summary's readiness checks (--check-url) and restore (--atomic). */
export function renderOutcomeExtras(state: { readiness: readonly ReadinessResult[]; restore: RestoreReport | null }, c: ChalkInstance): string {
  const lines = [...renderReadiness(state.readiness, c), ...renderRestore(state.restore, c)];
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
