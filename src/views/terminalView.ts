import type { ChalkInstance } from 'chalk';
import type { RecordedPlan } from '../domain/plan.js';
import type { ReleaseManifestDiff } from '../domain/records.js';
import { escapeControls } from '../domain/sanitize.js';
import { renderDiffs } from './renderDiff.js';
import { renderOutcomeExtras, renderRunOptions } from './renderExtras.js';
import { renderPlan, renderPlannedCommands } from './renderPlan.js';
import { renderSettings } from './renderSettings.js';
import { renderForwardSummary, renderSummary } from './renderSummary.js';
import type { RunEvent, RunSink, ViewEvent } from './runEvents.js';

/** What the terminal view needs to know of the run's options. */
export interface TerminalOptions {
  readonly mode: 'dry-run' | 'execute';
  readonly targetEnv: string | undefined;
  readonly atomic: boolean;
  readonly checkUrls: readonly string[];
  readonly annotate: { readonly baseUrl: string } | undefined;
}

export interface TerminalOutput {
  /** stdout: the plan, the summary (not with --output json). */
  readonly writeOut: (text: string) => void;
  /** stderr, one line at a time, beside the commands' progress. */
  readonly note: (text: string) => void;
  readonly chalk: ChalkInstance;
  /** False with --output json: stdout holds only the JSON document. */
  readonly textOutput: boolean;
}

type Rolled = Extract<ViewEvent, { type: 'rolled-back' }>;
type Forwarded = Extract<ViewEvent, { type: 'rolled-forward' }>;

/**
 * The run on a terminal, from its events: notes on stderr as things happen, the plan
 * for review, then the summary. Holds only what it has been shown, to render the
 * summary once the run has said what is left to do.
 */
export function createTerminalView(options: TerminalOptions, out: TerminalOutput): RunSink {
  const c = out.chalk;
  let plan: RecordedPlan | undefined;
  let rolled: Rolled | undefined;
  let forwarded: Forwarded | undefined;
  const text = (render: () => string) => {
    if (out.textOutput) out.writeOut(render());
  };
  const summary = (restoreCommands: readonly string[]) => {
    if (rolled === undefined) return '';
    // A drill that touched nothing rolls nothing forward: its summary is a rollback's.
    if (forwarded !== undefined) {
      return renderSummary(rolled.releases, [], c) + renderOutcomeExtras(rolled, c) + renderForwardSummary(forwarded.forward, restoreCommands, c);
    }
    return renderSummary(rolled.releases, rolled.restore === null ? restoreCommands : [], c) + renderOutcomeExtras(rolled, c);
  };
  const review = (commands: readonly string[], diff: readonly ReleaseManifestDiff[] | null) =>
    (plan === undefined ? '' : renderPlan(plan, { targetEnv: options.targetEnv }, c)) +
    renderPlannedCommands(commands, c) +
    renderRunOptions(options, c) +
    (diff === null ? '' : renderDiffs(diff, c));

  function emit(event: RunEvent): void {
    switch (event.type) {
      case 'context-resolved':
        return out.note(`context resolved from the kubeconfig: ${escapeControls(event.context)}`);
      case 'warning':
        return out.note(c.yellow(`warning: ${escapeControls(event.message)}`));
      case 'settings':
        if (event.resolved && options.mode === 'dry-run') text(() => renderSettings(event.settings, c));
        return;
      case 'plan':
        plan = event.plan as RecordedPlan;
        return;
      case 'reviewed':
        return text(() => review(event.plannedCommands.map((command) => command.command), event.diff));
      case 'plan-document':
        if (event.action === 'written') text(() => `\nApproved-plan document written: ${event.path} (sha256 ${event.sha256})\n`);
        return;
      case 'nothing-to-confirm':
        return out.note('nothing to write: no confirmation needed');
      case 'forward-after-failure':
        return out.note(c.yellow('drill: the rollback failed; rolling every touched release forward again'));
      case 'rolled-back':
        rolled = event;
        return;
      case 'rolled-forward':
        forwarded = event;
        return;
      case 'restore-commands':
        return text(() => summary(event.restoreCommands));
      case 'annotated':
        if (event.annotation.ok) text(() => `Grafana annotation posted (id ${event.annotation.id ?? '?'})\n`);
        return;
      default:
        return;
    }
  }
  return { emit };
}
