import { describe, expect, it } from 'vitest';
import { annotationsUrl, patchAnnotationText, postAnnotation, type AnnotationTarget } from '../../src/tools/grafana.js';
import { buildAnnotation, withSealDigest, type AnnotationFacts } from '../../src/views/annotation.js';

const facts = {
  startedAtMs: 1_764_147_600_000,
  endedAtMs: 1_764_147_720_000,
  user: 'alice',
  host: 'bastion',
  context: 'prod-eu-west-1-admin',
  namespace: 'videokit',
  targetEnv: 'prod-eu-west-1',
  releases: [
    { release: 'videokit-api', from: 42, to: 41, result: 'rolled-back' },
    { release: 'videokit-worker', from: 18, to: 17, result: 'rolled-back' },
  ],
  outcome: { status: 'rolled-back', exitCode: 0, message: 'every planned release rolled back and healthy' },
} satisfies AnnotationFacts;
const target: AnnotationTarget = { baseUrl: 'https://grafana.example/grafana', token: 'glsa_SECRET', dashboardUid: 'videokit-prod', extraTags: ['drill'] };

describe('Grafana annotations', () => {
  it('builds a region with the tool, release and TARGET_ENV tags and says who, what, from which revision to which, and the outcome', () => {
    expect(buildAnnotation(facts, target)).toEqual({
      dashboardUID: 'videokit-prod',
      time: 1_764_147_600_000,
      timeEnd: 1_764_147_720_000,
      tags: ['videokit-rollback', 'videokit-api', 'videokit-worker', 'prod-eu-west-1', 'drill'],
      text:
        'videokit-rollback by alice@bastion in prod-eu-west-1-admin/videokit (TARGET_ENV prod-eu-west-1): ' +
        'videokit-api 42 -> 41 rolled-back; videokit-worker 18 -> 17 rolled-back. Outcome: rolled-back (exit 0): every planned release rolled back and healthy',
    });
    expect(buildAnnotation({ ...facts, targetEnv: undefined }, { dashboardUid: undefined, extraTags: [] })).not.toHaveProperty('dashboardUID');
  });

  it('keeps a sub-path of GRAFANA_URL', () => {
    expect(annotationsUrl('https://grafana.example/grafana')).toBe('https://grafana.example/grafana/api/annotations');
    expect(annotationsUrl('https://grafana.example/')).toBe('https://grafana.example/api/annotations');
  });

  it('never throws, and scrubs the token from what it reports', async () => {
    const payload = buildAnnotation(facts, target);
    const echoing = await postAnnotation(target, payload, async (_url, init) => ({ status: 401, text: async () => `bad token ${init.headers.authorization}` }));
    expect(echoing).toMatchObject({ ok: false, status: 401, error: 'HTTP 401: bad token Bearer ***' });
    const refused = await postAnnotation(target, payload, async () => {
      throw new TypeError('fetch failed glsa_SECRET');
    });
    expect(refused).toMatchObject({ ok: false, status: null, error: 'fetch failed ***' });
    expect(JSON.stringify([echoing, refused])).not.toContain('glsa_SECRET');
    const accepted = await postAnnotation(target, payload, async () => ({ status: 200, text: async () => '{"id":7,"message":"Annotation added"}' }));
    expect(accepted).toMatchObject({ ok: true, id: 7, url: 'https://grafana.example/grafana/api/annotations' });
  });
});

describe('the seal digest added to a posted annotation', () => {
  const target: AnnotationTarget = { baseUrl: 'https://grafana.example/sub/', token: 'glsa_secret', dashboardUid: undefined, extraTags: [] };

  it('PATCHes only the text of that annotation, the digest at its end; a refusal is reported without the token', async () => {
    const calls: { url: string; method: string; body: string }[] = [];
    const done = await patchAnnotationText(target, 7, withSealDigest('videokit-rollback by alice', 'ab'.repeat(32)), async (url, init) => {
      calls.push({ url, method: init.method, body: init.body });
      return { status: 200, text: async () => '{"message":"Annotation patched"}' };
    });
    expect(done).toEqual({ ok: true, error: null });
    expect(calls).toEqual([{ url: 'https://grafana.example/sub/api/annotations/7', method: 'PATCH', body: JSON.stringify({ text: `videokit-rollback by alice Record seal digest (sha256): ${'ab'.repeat(32)}` }) }]);
    const refused = await patchAnnotationText(target, 7, 'x', async (_url, init) => ({ status: 403, text: async () => `no: ${init.headers.authorization}` }));
    expect(refused).toEqual({ ok: false, error: 'HTTP 403: no: Bearer ***' });
  });
});
