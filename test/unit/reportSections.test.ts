import { describe, expect, it } from 'vitest';
import { renderReport } from '../../src/views/report/renderReport.js';
import { chainedRecord } from '../support/record.js';
import { section, table } from '../support/markdownTable.js';

const T = '2026-11-26T09:00:00.000Z';
const CTX = 'prod-eu-west-1-admin';
const at = (seconds: number) => new Date(Date.parse(T) + seconds * 1000).toISOString();

const entry = (revision: number, description: string) => ({ revision, status: 'deployed', chart: `videokit-api-0.${revision}.0`, appVersion: `1.${revision}.0`, description });
const ROLLBACK = ['helm', 'rollback', 'videokit-api', '41', '--namespace', 'videokit', '--kube-context', CTX, '--wait', '--timeout', '9m58s'];

/** One --execute --plan --atomic --check-url --annotate run, with every kind of event an auditor must see. */
const EVENTS = [
  {
    type: 'run-start', time: T, tool: { name: 'videokit-rollback', version: '0.1.0' }, argv: ['--plan', 'plan.json', '--execute', '--yes', '--atomic'],
    user: 'alice', host: 'ops-1', mode: 'execute', targetEnv: 'prod-eu-west-1', context: CTX, namespace: 'videokit', releases: ['videokit-api'], timeout: '10m',
  },
  { type: 'plan-document', time: at(1), action: 'verified', path: '/srv/plans/plan.json', sha256: 'ab'.repeat(32), createdBy: { user: 'bob', host: 'ops-2' }, createdAt: '2026-11-26T08:40:00.000Z' },
  { type: 'release-state', time: at(2), moment: 'before', release: 'videokit-api', revision: entry(42, 'Upgrade complete'), deployments: [{ name: 'videokit-api', images: ['registry.example/videokit-api:1.42.0'] }], problem: null },
  { type: 'stage', time: at(3), stage: 'rollback', status: 'start', budgetMs: 600_000 },
  { type: 'command-start', time: at(3), id: 8, phase: 'rollback', release: 'videokit-api', effect: 'write', command: ROLLBACK.join(' '), argv: ROLLBACK },
  { type: 'watchdog', time: at(50), id: 8, command: ROLLBACK.join(' '), allowedMs: 40_000, graceMs: 5_000, signal: 'SIGKILL', message: 'helm rollback outlived its time by 5 s and was ended' },
  { type: 'command-end', time: at(50), id: 8, exitCode: null, signal: 'SIGKILL', durationMs: 47_000, timedOut: true, spawnError: null },
  { type: 'readiness-check', time: at(55), url: 'https://videokit.example/readyz', ok: false, attempts: 12, lastStatus: 503, lastError: null, durationMs: 30_000 },
  { type: 'interrupt', time: at(56), signal: 'SIGINT', count: 1, action: 'finishing the running command, then stopping' },
  { type: 'restore-start', time: at(57), reason: 'the readiness check failed', releases: [{ release: 'videokit-api', to: 42 }], budget: '10m' },
  { type: 'restore-end', time: at(80), ok: false, releases: [{ release: 'videokit-api', result: 'restore-failed', to: 42, reason: 'helm rollback exited 1' }], manualCommands: ["helm rollback videokit-api 42 --namespace videokit --kube-context 'prod eu' --wait"] },
  { type: 'release-state', time: at(81), moment: 'after-rollback', release: 'videokit-api', revision: entry(43, 'Rollback to 41'), deployments: [{ name: 'videokit-api', images: ['registry.example/videokit-api:1.41.0'] }], problem: null },
  { type: 'annotation', time: at(82), url: 'https://grafana.example/api/annotations', ok: true, status: 200, id: 7, error: null, tags: ['videokit-rollback', 'videokit-api'], text: 'videokit-rollback by alice@ops-1: restore-failed' },
  { type: 'outcome', time: at(83), status: 'restore-failed', exitCode: 6, message: 'the restore failed', durationMs: 83_000, releases: [{ release: 'videokit-api', result: 'rollback-failed' }], restoreCommands: [] },
];

const render = (format: 'md' | 'html', bytes = chainedRecord(EVENTS)) => renderReport(bytes, { format, source: 'run.jsonl', generator: 'test' });

describe('the report misses nothing', () => {
  const md = render('md').text;

  it('opens with the verification verdict and the seal digest', () => {
    const verification = Object.fromEntries(table(md, 'Verification'));
    expect(verification).toMatchObject({ Record: 'run.jsonl', Verdict: `intact and sealed (${EVENTS.length + 1} lines, 1 run)` });
    expect(verification['Seal digest (sha256)']).toMatch(/^[0-9a-f]{64}$/);
    expect(verification['Check it']).toBe(`videokit-rollback verify run.jsonl --digest ${verification['Seal digest (sha256)']}`);
    expect(md.indexOf('## Verification')).toBeLessThan(md.indexOf('## Overview'));
  });

  it('shows the approved plan, readiness checks, the restore, the annotation, interrupts and the watchdog', () => {
    const part = md.slice(md.indexOf('## Safeguards and records'), md.indexOf('## Observations')).split('\n');
    expect(part.filter((line) => line.startsWith('### '))).toEqual(['### Approved plan', '### Readiness checks (--check-url)', '### Restore (--atomic)', '### Annotation (--annotate)', '### Interrupts', '### Watchdog']);
    expect(table(md, 'Approved plan')).toEqual([['verified (--plan)', '/srv/plans/plan.json', 'ab'.repeat(32), 'bob on ops-2', '2026-11-26 08:40:00 UTC']]);
    expect(table(md, 'Readiness checks (--check-url)')).toEqual([['https://videokit.example/readyz', 'FAILED', '12', 'HTTP 503', '30.0 s']]);
    expect(section(md, 'Restore (--atomic)').join('\n')).toContain('At 2026-11-26 09:00:57 UTC, with a budget of 10m: the readiness check failed.');
    expect(table(md, 'Restore (--atomic)')).toEqual([['videokit-api', '42', 'restore-failed: helm rollback exited 1']]);
    expect(section(md, 'Restore (--atomic)').join('\n')).toContain("- `helm rollback videokit-api 42 --namespace videokit --kube-context 'prod eu' --wait`");
    expect(table(md, 'Annotation (--annotate)')).toEqual([['https://grafana.example/api/annotations', 'posted (id 7)', 'videokit-rollback, videokit-api', 'videokit-rollback by alice@ops-1: restore-failed']]);
    expect(table(md, 'Interrupts')).toEqual([['2026-11-26 09:00:56 UTC', 'SIGINT (#1)', 'finishing the running command, then stopping', '–']]);
    expect(table(md, 'Watchdog')).toEqual([['8', ROLLBACK.join(' '), '40.0 s', '5.0 s', 'SIGKILL', 'helm rollback outlived its time by 5 s and was ended']]);
  });

  it("shows a rollback revision with the revision whose content it carries (helm's Rollback to N)", () => {
    expect(table(md, 'Before and after').map((row) => row.slice(0, 3))).toEqual([
      ['videokit-api', 'before', '42'],
      ['videokit-api', 'after rollback', '43 (rollback to 41)'],
    ]);
  });

  it('says so when there was nothing of the kind', () => {
    const plain = render('md', chainedRecord(EVENTS.filter((e) => !['plan-document', 'readiness-check', 'restore-start', 'restore-end', 'annotation', 'watchdog', 'interrupt'].includes(e.type)))).text;
    expect(section(plain, 'Safeguards and records').join('\n')).toContain('No approved plan, readiness check, restore, annotation, interrupt or watchdog was recorded.');
  });

  it('HTML: a command wraps only between its arguments', () => {
    const html = render('html').text;
    const shown = ROLLBACK.map((word) => `<span>${word}</span>`).join(' ');
    expect(html).toContain(`<td><code class="cmd">${shown}</code></td>`);
    expect(html).toContain(`<li><code class="cmd"><span>helm</span> <span>rollback</span> <span>videokit-api</span> <span>42</span> <span>--namespace</span> <span>videokit</span> <span>--kube-context</span> <span>&#39;prod eu&#39;</span> <span>--wait</span></code></li>`.replace(/&#39;/g, "'"));
    expect(html).toMatch(/code\.cmd span \{ white-space: nowrap; \}/);
  });
});

describe('the report verifies first', () => {
  it('a record cut short is reported, under a verdict that says so', () => {
    const { text, verdict } = render('md', chainedRecord(EVENTS.slice(0, 7), false));
    expect(verdict.status).toBe('unsealed');
    expect(Object.fromEntries(table(text, 'Verification'))).toMatchObject({
      Verdict: 'intact but NOT sealed: the run was cut short (7 lines, 1 run)',
      'Seal digest (sha256)': 'none: the record ends without a seal',
    });
    expect(text).toContain('## Overview');
  });

  it('a tampered record gets its verdict and nothing else, in every format', () => {
    const forged = Buffer.from(chainedRecord(EVENTS).toString('utf8').replace('"user":"alice"', '"user":"mallory"'));
    for (const format of ['md', 'html'] as const) {
      const { text, verdict, model } = render(format, forged);
      expect(verdict).toMatchObject({ status: 'tampered', line: 1 });
      expect(model).toBeNull();
      expect(text).toContain('TAMPERED at line 1: line 1 was altered: its sha256 is not the prev that line 2 recorded');
      for (const absent of ['mallory', 'alice', 'Overview', 'helm rollback', 'Before and after']) expect(text).not.toContain(absent);
    }
  });
});
