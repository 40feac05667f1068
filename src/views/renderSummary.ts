import type { ChalkInstance } from 'chalk';
import type { ForwardResult, ReleaseResult } from '../domain/vocabulary.js';
import { escapeControls, escapeControlsDeep } from '../domain/sanitize.js';

/** A result with every field escaped, but the Pod listing kept as lines (each escaped). */
function escaped<T extends object>(result: T): T {
  const pods = 'pods' in result && typeof result.pods === 'string' ? result.pods : undefined;
  return { ...escapeControlsDeep(result), ...(pods === undefined ? {} : { pods: escapeControls(pods, { keepNewlines: true }) }) };
}

/** After --execute: what was rolled back, what failed, and how to undo each touched release. */
export function renderSummary(
  results: readonly ReleaseResult[],
  restoreCommands: readonly string[],
  c: ChalkInstance,
): string {
  const lines = ['', c.bold('Summary')];
  for (const r of results.map(escaped)) {
    switch (r.result) {
      case 'rolled-back':
        lines.push(c.green(`  ${r.release}: rolled back from revision ${r.from} to ${r.to}, rollouts healthy`));
        if (r.pods !== null) lines.push(...r.pods.trimEnd().split('\n').map((line) => `      ${line}`));
        break;
      case 'rollback-failed':
        lines.push(c.red(`  ${r.release}: rollback to ${r.to} FAILED: ${r.reason}`));
        break;
      case 'unhealthy':
        lines.push(c.red(`  ${r.release}: rolled back to ${r.to} but NOT healthy: ${r.reason}`));
        break;
      case 'interrupted':
        lines.push(c.yellow(`  ${r.release}: rolled back to ${r.to} but NOT verified: ${r.reason}`));
        break;
      case 'not-started':
        lines.push(c.yellow(`  ${r.release}: not touched (still at revision ${r.from})`));
        break;
      case 'skipped':
        lines.push(c.yellow(`  ${r.release}: skipped: ${r.reason}`));
        break;
      case 'lost-race':
        lines.push(c.yellow(`  ${r.release}: not touched by this run: ${r.reason}`));
        break;
      case 'already-rolled-back':
      case 'already-applied':
        lines.push(c.green(`  ${r.release}: ${r.reason}`));
        break;
    }
  }
  if (restoreCommands.length > 0) {
    lines.push('', 'To put the touched releases back where they were before this run:');
    lines.push(...restoreCommands.map((command) => `  ${escapeControls(command)}`));
  }
  return `${lines.join('\n')}\n`;
}

/** After a drill's roll forward: where each release the rollback touched stands now. */
export function renderForwardSummary(results: readonly ForwardResult[], restoreCommands: readonly string[], c: ChalkInstance): string {
  const lines = ['', c.bold('Drill: roll forward')];
  for (const r of results.map(escaped)) {
    switch (r.result) {
      case 'rolled-forward':
        lines.push(c.green(`  ${r.release}: rolled forward from revision ${r.from} to ${r.to}, rollouts healthy: back where it was before the drill`));
        if (r.pods !== null) lines.push(...r.pods.trimEnd().split('\n').map((line) => `      ${line}`));
        break;
      case 'forward-failed':
        lines.push(c.red(`  ${r.release}: roll forward to ${r.to} FAILED: ${r.reason}; it is still on (or around) revision ${r.from}`));
        break;
      case 'unhealthy':
        lines.push(c.red(`  ${r.release}: rolled forward to ${r.to} but NOT healthy: ${r.reason}`));
        break;
      case 'not-started':
        lines.push(c.red(`  ${r.release}: roll forward not started (${r.reason}); still on revision ${r.from}`));
        break;
    }
  }
  if (restoreCommands.length > 0) {
    lines.push('', 'To put these releases back where they were before the drill:');
    lines.push(...restoreCommands.map((command) => `  ${escapeControls(command)}`));
  }
  return `${lines.join('\n')}\n`;
}
