import { runDocument, type RunReport } from '../../src/views/jsonDocument.js';
import { NO_FACTS } from '../../src/views/runFacts.js';

/** A JSON document of a run that got nowhere (no options, no events): tests fill in the parts they look at. */
export function emptyRunReport(outcome: RunReport['outcome']): RunReport {
  return runDocument(
    { tool: { name: 'videokit-rollback', version: '0.0.0' }, config: undefined, facts: NO_FACTS, transcript: null, reportPath: null, outcome },
    (text) => text,
  );
}
