import type { ChalkInstance } from 'chalk';
import { workloadRef, type HistoryEntry, type RecordedPlan } from '../domain/plan.js';
import { alreadyLine, furtherBackLine, TARGET_RULE } from '../domain/explain.js';
import { escapeControls, escapeControlsDeep } from '../domain/sanitize.js';

function revisionLine(label: string, entry: HistoryEntry): string {
  return `  ${label.padEnd(8)} ${String(entry.revision).padStart(4)}  ${entry.status.padEnd(16)} ${entry.chart}  app ${entry.appVersion || '-'}  updated ${entry.updated ?? '-'}`;
}

/**
 * The plan as an operator reviews it before approving --execute. Chart, app version,
 * status and reasons come from the cluster: every field is escaped before it is shown.
 */
export function renderPlan(unsafePlan: RecordedPlan, meta: { targetEnv: string | undefined }, c: ChalkInstance): string {
  const plan = escapeControlsDeep(unsafePlan);
  const targetEnv = meta.targetEnv === undefined ? undefined : escapeControls(meta.targetEnv);
  const rollbacks = plan.releases.filter((r) => r.action === 'rollback').length;
  const lines = [
    c.bold(
      `Plan: roll back ${rollbacks} of ${plan.releases.length} release(s) in namespace ${plan.namespace}, context ${plan.context}` +
        (targetEnv === undefined ? '' : `, TARGET_ENV ${targetEnv}`),
    ),
    c.dim(TARGET_RULE),
  ];
  for (const release of plan.releases) {
    lines.push('', c.bold(release.release));
    if (release.action === 'skip') {
      lines.push(c.yellow(`  skipped: ${release.reason}`));
      continue;
    }
    if (release.action === 'already-rolled-back' || release.action === 'already-applied') {
      lines.push(revisionLine('current', release.current));
      lines.push(c.green(`  ${alreadyLine(release)}`));
      if (release.action === 'already-rolled-back') lines.push(`  ${furtherBackLine(release)}`);
      continue;
    }
    lines.push(revisionLine('current', release.current));
    lines.push(c.green(revisionLine(release.pinned ? 'target*' : 'target', release.target)));
    if (release.pinned) lines.push('  (* pinned with --to-revision)');
    for (const passed of release.passedOver) {
      lines.push(c.dim(`  passed over revision ${passed.revision} (${passed.status}): ${passed.reason}`));
    }
    lines.push(
      `  workloads to watch: ${release.deployments.length === 0 ? 'none' : release.deployments.map(workloadRef).join(', ')}`,
    );
    for (const warning of release.warnings) lines.push(c.yellow(`  warning: ${warning}`));
  }
  return `${lines.join('\n')}\n`;
}

export function renderPlannedCommands(commands: readonly string[], c: ChalkInstance): string {
  return (
    `\n${c.bold('Commands --execute would run, in order')} (each --timeout shows the whole budget; at run time each command gets what is left; the rollout waits of a release run together):\n` +
    commands.map((command) => `  ${escapeControls(command)}\n`).join('')
  );
}
