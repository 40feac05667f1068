import type { RecordedPlan } from '../domain/plan.js';
import type { Stage } from '../domain/vocabulary.js';
import { inStartOrder, type RunningCommand } from '../process/gate.js';
import type { DocumentState } from './jsonDocument.js';
import type { RunEvent } from './runEvents.js';

/** What a run learned and did so far, read from its events: what the JSON document and the job summary show. */
export interface RunFacts extends DocumentState {
  /** The drill stage whose failure decides the outcome, when one failed. */
  readonly failedStage: Stage | undefined;
  /** Commands started and not yet ended, oldest first: what an interrupt affects. */
  readonly running: readonly RunningCommand[];
}

export const NO_FACTS: RunFacts = {
  context: undefined,
  contextSource: undefined,
  settings: null,
  plan: null,
  problems: [],
  warnings: [],
  plannedCommands: [],
  commands: [],
  releases: [],
  forward: [],
  failedStage: undefined,
  restoreCommands: [],
  diff: null,
  restore: null,
  readiness: [],
  annotation: null,
  planDocument: null,
  running: [],
};

/** Pure: the facts after one more event. */
export function withEvent(facts: RunFacts, event: RunEvent): RunFacts {
  switch (event.type) {
    case 'settings':
      return { ...facts, settings: event.settings, context: event.context, contextSource: event.contextSource };
    case 'plan':
      return { ...facts, plan: event.plan as RecordedPlan };
    case 'problems':
      return { ...facts, problems: event.problems };
    case 'warning':
      return { ...facts, warnings: [...facts.warnings, event.message] };
    case 'reviewed':
      return { ...facts, plannedCommands: event.plannedCommands, diff: event.diff };
    case 'plan-document':
      return { ...facts, planDocument: { action: event.action, path: event.path, sha256: event.sha256 } };
    case 'command-start':
      return { ...facts, running: [...facts.running, { id: event.id, phase: event.phase, release: event.release, effect: event.effect, command: event.command }] };
    case 'command-end':
      return { ...facts, running: facts.running.filter((command) => command.id !== event.id) };
    case 'command-record':
      return { ...facts, commands: inStartOrder(facts.commands, event.record) };
    case 'rolled-back':
      return { ...facts, releases: event.releases, readiness: event.readiness, restore: event.restore };
    case 'rolled-forward':
      return { ...facts, forward: event.forward };
    case 'restore-commands':
      return { ...facts, restoreCommands: event.restoreCommands, failedStage: event.failedStage };
    case 'annotated':
      return { ...facts, annotation: event.annotation };
    default:
      return facts;
  }
}

/** Pure: the facts of a run from its events. */
export function runFacts(events: readonly RunEvent[]): RunFacts {
  return events.reduce(withEvent, NO_FACTS);
}
