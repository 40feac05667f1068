import { describe, expect, it } from 'vitest';
import { parseDeploymentList, parseHelmHistory } from '../../src/plan/parseToolOutput.js';

describe('parseHelmHistory', () => {
  it('reads helm 4 output without `updated` and tolerates unknown fields', () => {
    const parsed = parseHelmHistory(
      '[{"revision":1,"status":"superseded","chart":"api-0.1.0","app_version":"1.0","description":"Install complete"},' +
        '{"revision":2,"status":"deployed","chart":"api-0.2.0","app_version":"1.1","description":"Rollback to 1","rollback_revision":1}]',
    );
    expect(parsed).toEqual({
      ok: true,
      value: [
        { revision: 1, updated: undefined, status: 'superseded', chart: 'api-0.1.0', appVersion: '1.0', description: 'Install complete' },
        { revision: 2, updated: undefined, status: 'deployed', chart: 'api-0.2.0', appVersion: '1.1', description: 'Rollback to 1' },
      ],
    });
  });

  it('skips warnings printed before the JSON', () => {
    const parsed = parseHelmHistory('WARNING: Kubernetes configuration file is group-readable.\n[{"revision":3,"status":"deployed","chart":"c"}]');
    expect(parsed.ok && parsed.value[0]?.revision).toBe(3);
  });

  it.each([
    ['truncated JSON', '[{"revision":3,"sta', /not valid JSON/],
    ['HTML from a proxy', '<html><body>502 Bad Gateway</body></html>', /expected JSON, got: <html>/],
    ['empty output', '', /expected JSON, got: \(empty output\)/],
    ['a wrong shape', '{"revision":1}', /unexpected shape/],
    ['a negative revision', '[{"revision":-1,"status":"deployed","chart":"c"}]', /unexpected shape \(0\.revision/],
    ['a duplicate revision', '[{"revision":1,"status":"deployed","chart":"c"},{"revision":1,"status":"failed","chart":"c"}]', /twice/],
  ])('refuses %s with a reason', (_label, stdout, problem) => {
    const parsed = parseHelmHistory(stdout);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatch(problem);
  });

  it('accepts an empty array (planning decides what it means)', () => {
    expect(parseHelmHistory('[]\n')).toEqual({ ok: true, value: [] });
  });
});

describe('parseDeploymentList', () => {
  it('reads names and images', () => {
    const parsed = parseDeploymentList(
      JSON.stringify({ kind: 'List', items: [{ metadata: { name: 'api' }, spec: { template: { spec: { containers: [{ name: 'a', image: 'r/api:1' }] } } } }] }),
    );
    expect(parsed).toEqual({ ok: true, value: [{ name: 'api', images: ['r/api:1'] }] });
  });

  it('refuses a name that could become a flag', () => {
    const parsed = parseDeploymentList(JSON.stringify({ items: [{ metadata: { name: '--all' } }] }));
    expect(!parsed.ok && parsed.problem).toMatch(/not a valid object name/);
  });
});
