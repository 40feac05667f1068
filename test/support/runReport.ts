import type { RunReport } from '../../src/views/jsonDocument.js';

/** A JSON document of a run that got nowhere: tests fill in the parts they look at. */
export function emptyRunReport(outcome: RunReport['outcome']): RunReport {
  return {
    schemaVersion: 1,
    tool: { name: 'videokit-rollback', version: '0.0.0' },
    mode: null,
    context: null,
    contextSource: null,
    namespace: null,
    targetEnv: null,
    timeout: null,
    settings: null,
    configFile: null,
    plan: null,
    problems: [],
    warnings: [],
    plannedCommands: [],
    commands: [],
    releases: [],
    forward: [],
    report: null,
    restoreCommands: [],
    diff: null,
    restore: null,
    readiness: [],
    annotation: null,
    planDocument: null,
    transcript: null,
    outcome,
  };
}
