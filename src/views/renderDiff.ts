import type { ChalkInstance } from 'chalk';
import type { ReleaseManifestDiff } from '../domain/records.js';
import { escapeControls, escapeControlsDeep } from '../domain/sanitize.js';

function colourLine(line: string, c: ChalkInstance): string {
  if (line.startsWith('+++') || line.startsWith('---')) return c.bold(line);
  if (line.startsWith('+')) return c.green(line);
  if (line.startsWith('-')) return c.red(line);
  if (line.startsWith('@@')) return c.cyan(line);
  return line;
}

/** `--diff`: per release, per resource, what the rollback changes (colour only on a terminal). */
export function renderDiffs(diffs: readonly ReleaseManifestDiff[], c: ChalkInstance): string {
  const lines: string[] = [];
  // Manifests come from the cluster: the patch keeps its lines, every other field is one line.
  for (const diff of diffs.map((d) => ({ ...escapeControlsDeep(d), resources: d.resources.map((r) => ({ ...escapeControlsDeep(r), patch: escapeControls(r.patch, { keepNewlines: true }) })) }))) {
    lines.push('', c.bold(`Manifest diff of ${diff.release}: revision ${diff.from} (current) -> ${diff.to} (target)`));
    if (diff.problem !== null) {
      lines.push(c.yellow(`  not shown: ${diff.problem}`));
      continue;
    }
    if (diff.resources.length === 0) {
      lines.push('  no difference in the rendered manifests');
      continue;
    }
    for (const resource of diff.resources) {
      lines.push(c.bold(`  ${resource.resource}: ${resource.change}`));
      lines.push(...resource.patch.trimEnd().split('\n').map((line) => `    ${colourLine(line, c)}`));
    }
  }
  return `${lines.join('\n')}\n`;
}
