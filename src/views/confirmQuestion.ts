import { escapeControls } from '../domain/sanitize.js';

/** The prompt before --execute writes: what will change, and where (the context may come from a config file: escaped). */
export function confirmQuestion(asked: { readonly rollbacks: number; readonly drill: boolean; readonly context: string; readonly namespace: string }): string {
  const what = asked.drill ? `Drill: roll back ${asked.rollbacks} release(s) and forward again` : `Roll back ${asked.rollbacks} release(s)`;
  return `${what} in ${escapeControls(asked.context)}/${asked.namespace}? Type "yes" to go ahead: `;
}
