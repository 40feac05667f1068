import { appendFileSync } from 'node:fs';
import type { RunReport } from '../views/jsonDocument.js';
import { renderStepSummary, STEP_SUMMARY_ENV } from '../views/stepSummary.js';

/**
 * Appends the job summary when $GITHUB_STEP_SUMMARY is set (GitHub gives each step its
 * own file, so appending never truncates another's). A summary that cannot be written
 * must not change the outcome of a rollback: the failure comes back as a warning to print.
 */
export function appendStepSummary(env: NodeJS.ProcessEnv, report: RunReport): string | undefined {
  const file = env[STEP_SUMMARY_ENV];
  if (file === undefined || file === '') return undefined;
  try {
    appendFileSync(file, renderStepSummary(report));
    return undefined;
  } catch (error) {
    return `could not append the job summary to ${STEP_SUMMARY_ENV} (${file}): ${(error as Error).message}`;
  }
}
