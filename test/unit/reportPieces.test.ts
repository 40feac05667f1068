import { describe, expect, it } from 'vitest';
import { chartVersion } from '../../src/views/report/model.js';
import { summarisePods } from '../../src/views/report/podListing.js';
import { parseTranscript, TranscriptError } from '../../src/views/report/transcriptSchema.js';
import { renderMarkdown } from '../../src/views/report/renderMarkdown.js';
import { renderHtml } from '../../src/views/report/renderHtml.js';
import { humanDuration } from '../../src/views/report/format.js';

describe('summarisePods', () => {
  it('counts ready pods, restarts (including kubectl 1.2x "3 (5m ago)") and statuses', () => {
    const listing =
      'NAME                     READY   STATUS             RESTARTS      AGE   IP          NODE\n' +
      'api-6d5f7c9b8-abcde      2/2     Running            0             12s   10.0.0.12   node-1\n' +
      'api-6d5f7c9b8-fghij      1/2     Running            3 (5m ago)    12m   10.0.0.13   node-2\n' +
      'api-6d5f7c9b8-klmno      0/1     CrashLoopBackOff   7 (30s ago)   12m   10.0.0.14   node-2\n';
    expect(summarisePods(listing)).toEqual({ pods: 3, ready: 1, restarts: 10, statuses: { Running: 2, CrashLoopBackOff: 1 } });
  });

  it('reads a listing after a warning line; says nothing for what is not a listing', () => {
    expect(summarisePods('Warning: something\nNAME READY STATUS RESTARTS AGE\nx 1/1 Running 0 1s\n')).toMatchObject({ pods: 1, ready: 1 });
    expect(summarisePods('No resources found in videokit namespace.\n')).toBeNull();
  });
});

describe('chartVersion', () => {
  it.each([
    ['videokit-api-0.42.0', '0.42.0'],
    ['ingress-nginx-4.10.1', '4.10.1'],
    ['app-2-worker-1.2.3-rc.1', '1.2.3-rc.1'],
    ['my-chart-v1.0.0', 'v1.0.0'],
    ['nochartversion', null],
  ])('%s -> %s', (chart, version) => {
    expect(chartVersion(chart)).toBe(version);
  });
});

describe('parseTranscript', () => {
  const start = JSON.stringify({
    type: 'run-start', time: '2026-11-26T09:00:00.000Z', tool: { name: 'videokit-rollback', version: '0.1.0' }, argv: [], user: 'u', host: 'h',
    mode: 'execute', targetEnv: null, context: 'c', namespace: 'n', releases: ['a'], timeout: '10m',
  });

  it('drops a torn last line (a killed run) and skips event types it does not know', () => {
    const parsed = parseTranscript(`${start}\n{"type":"from-the-future","time":"x"}\n{"type":"warning","ti`);
    expect(parsed.events.map((e) => e.type)).toEqual(['run-start']);
    expect(parsed.truncated).toBe(true);
    expect(parsed.skippedTypes).toEqual(['from-the-future']);
  });

  it('refuses a known event with the wrong shape, naming the line and field', () => {
    expect(() => parseTranscript(`${start}\n{"type":"command-end","time":"t","id":"1"}\n`)).toThrow(/line 2 \(command-end\): id: /);
    expect(() => parseTranscript(`not json\n${start}\n`)).toThrow(TranscriptError);
  });
});

describe('renderers', () => {
  const doc = {
    title: 'T | <x>',
    blocks: [
      { kind: 'table' as const, head: ['a', 'b'], rows: [[{ code: "echo 'a|b'" }, 'x*y_z']] },
      { kind: 'para' as const, content: [{ code: 'has `tick`' }] },
    ],
  };

  it('Markdown escapes pipes in table code spans and markup in text', () => {
    const md = renderMarkdown(doc, 'f');
    expect(md).toContain("| `echo 'a\\|b'` | x\\*y\\_z |");
    expect(md).toContain('`` has `tick` ``');
    expect(md.startsWith('# T \\| \\<x\\>')).toBe(true);
  });

  it('HTML escapes everything it prints', () => {
    const html = renderHtml(doc, 'f & g');
    expect(html).toContain('<title>T | &lt;x&gt;</title>');
    expect(html).toContain("<td><code>echo 'a|b'</code></td>");
    expect(html).toContain('<footer>f &amp; g</footer>');
  });

  it('durations read at a glance', () => {
    expect([850, 12_340, 125_000, 3_725_000].map(humanDuration)).toEqual(['850 ms', '12.3 s', '2 min 05 s', '1 h 02 min']);
  });
});
