import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/views/jsonDocument.js';
import { renderStepSummary } from '../../src/views/stepSummary.js';
import { emptyRunReport } from '../support/runReport.js';

const refused: RunReport = emptyRunReport({
  status: 'refused',
  exitCode: 2,
  message: '--to-revision "a|b" must look like <release>=<revision>',
  hint: null,
  details: ['line one\nline two'],
});

describe('renderStepSummary', () => {
  it('keeps messages literal in Markdown: pipes, angle brackets and newlines are escaped', () => {
    const text = renderStepSummary(refused);
    expect(text).toContain('--to-revision "a\\|b" must look like &lt;release&gt;=&lt;revision&gt;\n');
    expect(text).toContain('- line one line two\n');
  });

  it('shows no context line, plan or commands when the run never got that far', () => {
    expect(renderStepSummary(refused).split('\n').filter((l) => l.startsWith('|') || l.startsWith('```') || l.includes('context `'))).toEqual([]);
  });
});
