/* eslint-disable no-control-regex -- these tests look for raw control characters */
import { execFileSync } from 'node:child_process';
import { Chalk } from 'chalk';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteArg, quoteCommand } from '../../src/domain/shellQuote.js';
import { escapeControls, jsonTerminalSafe, terminalSafe } from '../../src/domain/sanitize.js';
import type { ReleaseResult } from '../../src/execute/executeRollback.js';
import type { TranscriptEvent } from '../../src/domain/events.js';
import type { RunReport } from '../../src/views/jsonDocument.js';
import { renderPlan, renderPlannedCommands } from '../../src/views/renderPlan.js';
import { renderSummary } from '../../src/views/renderSummary.js';
import { renderStepSummary } from '../../src/views/stepSummary.js';
import { formatTextEvent } from '../../src/views/transcriptText.js';
import type { HistoryEntry, RollbackPlan } from '../../src/plan/types.js';
import { emptyRunReport } from '../support/runReport.js';

const RUNS = { numRuns: 150 };
/** What may never reach a line a person reads: controls but LF and TAB, DEL, C1, bidi overrides and isolates. */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const plain = new Chalk({ level: 0 });

/** Strings made to hurt: terminal escapes, forged lines, bidi overrides, among ordinary text. */
const hostile = fc.string({
  unit: fc.oneof(
    fc.constantFrom('\u001b]0;pwned\u0007', '\u001b[2J', '\u001b[31m', '\r', '\n', '\u202e', '\u2066', '\u2069', '\u009b', '\u007f', '\u0000', '\t', '\u0085'),
    fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }),
    fc.constantFrom('a', ' ', '-', '1'),
  ),
  maxLength: 20,
});

const entry = (revision: number, fields: { chart: string; appVersion: string; description: string; status: string }): HistoryEntry => ({
  revision,
  updated: '2026-11-01T09:00:00Z',
  ...fields,
});

function planWith(text: string): RollbackPlan {
  const fields = { chart: `videokit-api-${text}`, appVersion: text, description: text, status: 'superseded' };
  return {
    schemaVersion: 1,
    context: 'prod-eu-west-1-admin',
    namespace: 'videokit',
    releases: [
      {
        release: 'videokit-api',
        action: 'rollback',
        current: entry(42, { ...fields, status: 'deployed' }),
        target: entry(41, fields),
        pinned: false,
        passedOver: [{ revision: 40, status: text, reason: text }],
        deployments: [{ name: text, images: [text] }],
        warnings: [text],
      },
      { release: 'videokit-worker', action: 'skip', reason: text, current: entry(18, fields) },
    ],
  };
}

const lineCount = (text: string) => text.split('\n').length;

describe('escapeControls', () => {
  it('writes controls as \\xHH and bidi characters as \\uHHHH', () => {
    expect(escapeControls('0.1.0\u001b]0;pwned\u0007')).toBe('0.1.0\\x1b]0;pwned\\x07');
    expect(escapeControls('a\r\nb\tc\u007f\u009b')).toBe('a\\x0d\\x0ab\\x09c\\x7f\\x9b');
    expect(escapeControls('abc\u202edef\u2066x\u2069')).toBe('abc\\u202edef\\u2066x\\u2069');
    expect(escapeControls('videokit-api 1.41.0 ünï 漢字')).toBe('videokit-api 1.41.0 ünï 漢字');
  });

  it('keeps line breaks and tabs of multi-line text, and nothing else', () => {
    expect(escapeControls('NAME\tREADY\n\u001b[2Jpod-1\r\n', { keepNewlines: true })).toBe('NAME\tREADY\n\\x1b[2Jpod-1\\x0d\n');
  });

  it('leaves no raw control in a field, and changes nothing else (properties)', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const out = escapeControls(text);
        expect(out).not.toMatch(RAW_CONTROL);
        expect(out).not.toContain('\n');
        expect(out).not.toContain('\t');
        if (!/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/.test(text)) expect(out).toBe(text);
        expect(escapeControls(text, { keepNewlines: true }).split('\n').length).toBe(text.split('\n').length);
      }),
      RUNS,
    );
  });

  it('terminalSafe lets through only LF, TAB and, with colour on, colour codes', () => {
    expect(terminalSafe('\u001b[31mred\u001b[39m \u001b]0;x\u0007\n', true)).toBe('\u001b[31mred\u001b[39m \\x1b]0;x\\x07\n');
    expect(terminalSafe('\u001b[31mred\u001b[39m', false)).toBe('\\x1b[31mred\\x1b[39m');
    fc.assert(
      fc.property(hostile, fc.boolean(), (text, colour) => {
        const out = terminalSafe(text, colour).replace(/\u001b\[[0-9;]*m/g, '');
        expect(out).not.toMatch(RAW_CONTROL);
      }),
      RUNS,
    );
  });

  it('jsonTerminalSafe keeps every string exact for a JSON reader', () => {
    fc.assert(
      fc.property(fc.array(hostile, { maxLength: 4 }), (strings) => {
        const json = jsonTerminalSafe(JSON.stringify({ strings }, null, 2));
        expect(json).not.toMatch(RAW_CONTROL);
        expect(JSON.parse(json)).toEqual({ strings });
      }),
      RUNS,
    );
  });
});

describe('views of hostile cluster text (properties)', () => {
  it('the dry-run plan: no raw control, and no line forged by a newline in a field', () => {
    const benign = lineCount(renderPlan(planWith('x'), { targetEnv: undefined }, plain));
    fc.assert(
      fc.property(hostile, (text) => {
        const out = renderPlan(planWith(text), { targetEnv: text }, plain);
        expect(out).not.toMatch(RAW_CONTROL);
        expect(lineCount(out)).toBe(benign);
      }),
      RUNS,
    );
  });

  it('the forged command line from a chart version stays inside its field', () => {
    const forged = '0.1.0\nvk-forged-line helm rollback videokit-api 1 --namespace videokit --kube-context prod-eu-west-1-admin --wait --timeout 5m';
    const out = renderPlan(planWith(forged), { targetEnv: undefined }, plain);
    expect(out.split('\n').some((line) => line.startsWith('vk-forged-line'))).toBe(false);
    expect(out).toContain('videokit-api-0.1.0\\x0avk-forged-line');
  });

  it('planned and restore commands: quoted for bash, with no raw control', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const command = quoteCommand(['helm', 'rollback', text, '41', '--kube-context', text]);
        expect(renderPlannedCommands([command], plain)).not.toMatch(RAW_CONTROL);
        expect(renderSummary([], [command], plain)).not.toMatch(RAW_CONTROL);
      }),
      RUNS,
    );
  });

  it('the summary: reasons are one line, Pod listings keep their lines, nothing raw', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const results: ReleaseResult[] = [
          { release: 'videokit-api', result: 'rolled-back', from: 42, to: 41, pods: `NAME READY\n${text}\npod-2 1/1` },
          { release: 'videokit-worker', result: 'rollback-failed', from: 18, to: 17, reason: text },
        ];
        const out = renderSummary(results, [], plain);
        expect(out).not.toMatch(RAW_CONTROL);
        expect(lineCount(out)).toBe(lineCount(renderSummary(results.map((r) => ('reason' in r ? { ...r, reason: 'x' } : { ...r, pods: `NAME READY\n${text.replace(/[^\n]/g, '')}\npod-2 1/1` })), [], plain)));
      }),
      RUNS,
    );
  });

  it('the text transcript: every event, command output included', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const time = '2026-11-26T12:00:00.000Z';
        const events: TranscriptEvent[] = [
          { type: 'plan', time, plan: planWith(text) },
          { type: 'warning', time, message: text },
          { type: 'command-output', time, id: 3, stream: 'stderr', text },
          { type: 'release-state', time, moment: 'before', release: 'videokit-api', revision: entry(42, { chart: text, appVersion: text, description: text, status: text }), deployments: [{ name: text, images: [text] }], problem: text },
          { type: 'release-result', time, stage: 'rollback', release: 'videokit-api', result: 'rollback-failed', from: 42, to: 41, durationMs: 5, healthy: false, reason: text, pods: null },
        ];
        for (const event of events) expect(formatTextEvent(event)).not.toMatch(RAW_CONTROL);
      }),
      RUNS,
    );
  });

  it('the job summary (Markdown)', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const report = { ...refusedReport, plan: planWith(text), warnings: [text], outcome: { ...refusedReport.outcome, message: text, details: [text], hint: text } };
        expect(renderStepSummary(report)).not.toMatch(RAW_CONTROL);
      }),
      RUNS,
    );
  });
});

describe('shell quoting of words with controls', () => {
  it('uses ANSI-C quoting, which bash reads back as the same word', () => {
    expect(quoteArg('a\u001bb')).toBe(`$'a\\x1bb'`);
    const words = ['new\nline', "it's\u0007", 'back\\slash\r', 'rtl\u202eexe.txt', 'tab\there'];
    const line = quoteCommand(words);
    expect(line).not.toMatch(RAW_CONTROL);
    expect(line).not.toContain('\n');
    const out = execFileSync('bash', ['-c', `printf '%s\\0' ${line}`], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(words);
  });
});

const refusedReport: RunReport = { ...emptyRunReport({ status: 'planned', exitCode: 0, message: '', hint: null, details: [] }), mode: 'dry-run', namespace: 'videokit' };
