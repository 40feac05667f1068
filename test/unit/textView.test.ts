import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../src/domain/events.js';
import { chainedRecord } from '../support/record.js';
import { describeJson, humanBytes, renderTextView } from '../../src/views/textView.js';
import { renderTextRecord } from '../../src/views/textRecord.js';

const T = '2026-11-26T12:00:00.000Z';

const start = (id: number, argv: string[]): TranscriptEvent => ({ type: 'command-start', time: T, id, phase: 'plan', release: 'api', effect: 'read', command: argv.join(' '), argv });
const out = (id: number, text: string, stream: 'stdout' | 'stderr' = 'stdout'): TranscriptEvent => ({ type: 'command-output', time: T, id, stream, text });
const end = (id: number): TranscriptEvent => ({ type: 'command-end', time: T, id, exitCode: 0, signal: null, durationMs: 12, timedOut: false, spawnError: null });

const deployments = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ a: 1 }, { b: 2 }, { c: 'x'.repeat(14_000) }] }, null, 4);
const GET = ['kubectl', 'get', 'deployments', '--namespace', 'videokit', '--output', 'json'];

describe('the text view', () => {
  it("summarises JSON the tool parsed in one line (even when it came in pieces), keeping the command's stderr", () => {
    const half = deployments.length / 2;
    const text = renderTextView([start(4, GET), out(4, deployments.slice(0, half)), out(4, 'W1126 a warning\n', 'stderr'), out(4, deployments.slice(half)), end(4)]);
    expect(text).toBe(
      `${T} [4] plan api read: $ ${GET.join(' ')}\n` +
        `${T} [4] stderr:\n    | W1126 a warning\n` +
        `${T} [4] stdout: (json: 3 items, ${humanBytes(Buffer.byteLength(deployments))}; kept whole in the record)\n` +
        `${T} [4] exit=0 duration=12ms\n`,
    );
    expect(text).toContain('(json: 3 items, 14 kB; kept whole in the record)');
    expect(text).not.toContain('apiVersion');
  });

  it('shows output that is not JSON, and the output of commands that print no JSON, as it came', () => {
    const history = ['helm', 'history', 'api', '--output', 'json', '--max', '1'];
    const notJson = renderTextView([start(1, history), out(1, 'Error: release: not found\n'), end(1)]);
    expect(notJson).toContain(`${T} [1] stdout:\n    | Error: release: not found\n`);
    const rollout = renderTextView([start(2, ['kubectl', 'rollout', 'status', 'deployment/api']), out(2, '{"not":"parsed"}\n'), end(2)]);
    expect(rollout).toContain('    | {"not":"parsed"}\n');
  });

  it("a record that ends inside a command (a killed run) still says how much JSON that command had printed", () => {
    expect(renderTextView([start(3, GET), out(3, '{"items": [')])).toMatch(/\[3\] stdout: \(11 bytes of output the command had printed when the record ends; kept whole in the record\)\n$/);
  });

  it('describes JSON and sizes in a few words', () => {
    expect(describeJson('[{"revision":1},{"revision":2}]')).toBe('2 items');
    expect(describeJson('{"items":[]}')).toBe('0 items');
    expect(describeJson('{"clientVersion":{}}')).toBe('one object');
    expect(describeJson('Error: x')).toBeUndefined();
    expect([humanBytes(1), humanBytes(999), humanBytes(1500), humanBytes(14_200), humanBytes(3_210_000)]).toEqual(['1 byte', '999 bytes', '1.5 kB', '14 kB', '3.2 MB']);
  });
});

const record = chainedRecord;

const RUN_START = {
  type: 'run-start', time: T, tool: { name: 'videokit-rollback', version: '0.1.0' }, argv: ['--execute'], user: 'alice', host: 'h', mode: 'execute',
  targetEnv: null, context: 'c', namespace: 'videokit', releases: ['api'], timeout: '10m',
};

describe('renderTextRecord: verified first', () => {
  const events = [RUN_START, start(1, GET), out(1, deployments), end(1), { type: 'warning', time: T, message: 'after the command' }, { type: 'warning', time: T, message: 'last' }];

  it('heads an intact record with its verdict and seal digest', () => {
    const { text, verdict } = renderTextRecord(record(events, true), { source: 'r.jsonl', generator: 'g' });
    expect(verdict.status).toBe('sealed');
    expect(text).toMatch(/^# r\.jsonl: a videokit-rollback record as text, rendered by g\n# verification: intact and sealed \(7 lines, 1 run\)\n# seal digest \(sha256\): [0-9a-f]{64}\n/);
    expect(text).toContain('WARNING after the command');
  });

  it('says when the record is not sealed', () => {
    const { text } = renderTextRecord(record(events, false), { source: 'r.jsonl', generator: 'g' });
    expect(text).toContain('# verification: intact but NOT sealed: the run was cut short (6 lines, 1 run)\n');
    expect(text).not.toContain('seal digest');
  });

  it('shows no line of a tampered record: the lines before the break could be forged too', () => {
    const forged = Buffer.from(record(events, true).toString().replace('after the command', 'after the commend'));
    const { text, verdict } = renderTextRecord(forged, { source: 'r.jsonl', generator: 'g' });
    expect(verdict).toMatchObject({ status: 'tampered', line: 5 });
    expect(text).toContain('# verification: TAMPERED at line 5: line 5 was altered');
    expect(text).toContain('# no line is shown: a forger can rewrite the lines before line 5 consistently, so none of them can be trusted either\n');
    expect(text).not.toContain('[1] exit=0');
    expect(text).not.toContain('after the comm');
    expect(text).not.toContain('WARNING last');
    expect(text).not.toContain('seal digest');
    expect(text.endsWith('# ---- not shown (TAMPERED at line 5: line 5 was altered: its sha256 is not the prev that line 6 recorded) ----\n')).toBe(true);
  });
});
