import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DRILL_ARGS, drillRules } from '../support/drillRules.js';
import { runFaked } from '../support/inProcessCli.js';
import { createFakeTools } from '../support/fakeTools.js';
import { startLocalServer, type LocalServer } from '../support/httpServer.js';
import { planRules } from '../support/planRules.js';
import { readRecord } from '../support/record.js';

const TOKEN = 'glsa_test-token-0123456789';
let servers: LocalServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function server(handle: Parameters<typeof startLocalServer>[0]) {
  const s = await startLocalServer(handle);
  servers.push(s);
  return s;
}

/** A Grafana stand-in that checks the Bearer token and the payload shape, as Grafana does. */
function grafana() {
  return server((request) => {
    const patch = request.method === 'PATCH' && request.url === '/grafana/api/annotations/4711';
    if (!patch && (request.method !== 'POST' || request.url !== '/grafana/api/annotations')) return { status: 404, body: '{"message":"Not found"}' };
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return { status: 401, body: '{"message":"invalid API key"}' };
    const payload = JSON.parse(request.body);
    if (patch) return typeof payload.text === 'string' ? { status: 200, body: '{"message":"Annotation patched"}' } : { status: 400, body: '{"message":"bad payload"}' };
    if (typeof payload.time !== 'number' || typeof payload.timeEnd !== 'number' || !Array.isArray(payload.tags)) return { status: 400, body: '{"message":"bad payload"}' };
    return { status: 200, body: '{"id":4711,"message":"Annotation added"}' };
  });
}

function setup() {
  const fake = createFakeTools([...planRules(), ...drillRules()]);
  const cwd = mkdtempSync(join(tmpdir(), 'vkr-http-'));
  const run = (args: string[], env: Record<string, string> = {}) => runFaked(fake, args, { cwd, env: { ...fake.env, TARGET_ENV: 'prod-eu-west-1', ...env } });
  return { fake, cwd, run };
}

describe('--check-url against a local HTTP server', () => {
  it('polls until 2xx after the rollouts and reports it in the summary and the transcript', async () => {
    const app = await server((_request, count) => ({ status: count < 3 ? 503 : 200 }));
    const { run, cwd, fake } = setup();
    const result = await run([...DRILL_ARGS, '--execute', '--yes', '--check-url', `${app.url}/readyz`, '--transcript', 't.jsonl']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(app.requests.map((r) => r.url)).toEqual(['/readyz', '/readyz', '/readyz']);
    expect(result.stdout).toMatch(new RegExp(`${app.url}/readyz: 200 after 3 attempt\\(s\\)`));
    const events = readRecord(join(cwd, 't.jsonl'));
    expect(events.find((e) => e.type === 'readiness-check')).toMatchObject({ url: `${app.url}/readyz`, ok: true, attempts: 3, lastStatus: 200 });
    // the check runs only after the last rollout and Pod listing, then backs off 0.5 s and 1 s
    const lastListing = Math.max(...fake.calls().filter((c) => c.argv[0] === 'get' && c.argv[1] === 'pods').map((c) => c.time));
    expect(app.requests[0]?.time).toBeGreaterThanOrEqual(lastListing);
    const gaps = app.requests.slice(1).map((r, i) => r.time - (app.requests[i]?.time ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(450);
    expect(gaps[1]).toBeGreaterThanOrEqual(950);
  });

  it('5: a check that never passes within the budget; with --atomic it triggers the restore', async () => {
    const app = await server(() => ({ status: 503 }));
    const { run, fake } = setup();
    const result = await run([...DRILL_ARGS, '--execute', '--yes', '--atomic', '--timeout', '6s', '--check-url', `${app.url}/readyz`, '--output', 'json']);
    expect(result.exitCode).toBe(5);
    const doc = JSON.parse(result.stdout);
    expect(doc.readiness).toEqual([expect.objectContaining({ url: `${app.url}/readyz`, ok: false, lastStatus: 503, lastError: 'HTTP 503' })]);
    expect(doc.outcome.message).toMatch(/^readiness check failed: .*--atomic restored videokit-worker to 18, videokit-api to 42$/);
    expect(fake.calls().filter((c) => c.argv[0] === 'rollback').map((c) => `${c.argv[1]} ${c.argv[2]}`)).toEqual([
      'videokit-api 41', 'videokit-worker 17', 'videokit-worker 18', 'videokit-api 42',
    ]);
  });

  it('2: refuses a URL that is not http(s) before any command', async () => {
    const { run, fake } = setup();
    const result = await run([...DRILL_ARGS, '--execute', '--yes', '--check-url', 'file:///etc/passwd']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/only http and https URLs can be checked/);
    expect(fake.calls()).toEqual([]);
  });
});

describe('--annotate against a local Grafana stand-in', () => {
  it('posts a region with tags and text; the token reaches neither the transcript nor the output', async () => {
    const g = await grafana();
    const { run, cwd } = setup();
    const before = Date.now();
    const env = { GRAFANA_URL: `${g.url}/grafana`, GRAFANA_TOKEN: TOKEN };
    const result = await run([...DRILL_ARGS, '--execute', '--yes', '--annotate', '--annotate-dashboard', 'videokit-prod', '--annotate-tag', 'drill', '--transcript', 't.log', '--output', 'json'], env);
    expect(result.exitCode, result.stderr).toBe(0);
    // The post, then (once the record is sealed) its text again with the seal digest.
    expect(g.requests.map((r) => `${r.method} ${r.url}`)).toEqual(['POST /grafana/api/annotations', 'PATCH /grafana/api/annotations/4711']);
    const payload = JSON.parse(g.requests[0]?.body ?? '{}');
    const digest = /^seal digest \(sha256\): ([0-9a-f]{64})$/m.exec(result.stderr)?.[1];
    expect(JSON.parse(g.requests[1]?.body ?? '{}')).toEqual({ text: `${payload.text} Record seal digest (sha256): ${digest}` });
    expect(JSON.parse(result.stdout).transcriptDigest).toBe(digest);
    expect(payload).toMatchObject({ dashboardUID: 'videokit-prod', tags: ['videokit-rollback', 'videokit-api', 'videokit-worker', 'prod-eu-west-1', 'drill'] });
    expect(payload.time).toBeGreaterThanOrEqual(before - 1000);
    expect(payload.timeEnd).toBeGreaterThanOrEqual(payload.time);
    expect(payload.timeEnd).toBeLessThanOrEqual(Date.now());
    expect(payload.text).toMatch(/^videokit-rollback by \S+@\S+ in prod-eu-west-1-admin\/videokit \(TARGET_ENV prod-eu-west-1\): videokit-api 42 -> 41 rolled-back; videokit-worker 18 -> 17 rolled-back\. Outcome: rolled-back \(exit 0\)/);
    const doc = JSON.parse(result.stdout);
    expect(doc.annotation).toMatchObject({ ok: true, id: 4711, status: 200 });
    const transcript = readFileSync(join(cwd, 't.log'), 'utf8');
    expect(transcript).toMatch(/grafana annotation posted \(id 4711\)/);
    for (const text of [transcript, result.stdout, result.stderr]) expect(text).not.toContain(TOKEN);
  });

  it('a rejected annotation is reported and recorded but does not fail the rollback', async () => {
    const g = await grafana();
    const { run, cwd } = setup();
    const result = await run([...DRILL_ARGS, '--execute', '--yes', '--annotate', '--transcript', 't.jsonl'], { GRAFANA_URL: `${g.url}/grafana`, GRAFANA_TOKEN: 'wrong-token' });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toMatch(/warning: the Grafana annotation was not posted: HTTP 401: \{"message":"invalid API key"\}/);
    const events = readRecord(join(cwd, 't.jsonl'));
    expect(events.find((e) => e.type === 'annotation')).toMatchObject({ ok: false, status: 401 });
    expect(JSON.stringify(events)).not.toContain('wrong-token');
  });

  it('2: --annotate without GRAFANA_URL/GRAFANA_TOKEN is refused before any command', async () => {
    const { run, fake } = setup();
    const result = await run([...DRILL_ARGS, '--execute', '--yes', '--annotate']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--annotate needs \$GRAFANA_URL and \$GRAFANA_TOKEN/);
    expect(fake.calls()).toEqual([]);
  });
});

describe('--diff in the dry-run', () => {
  it('prints each release\'s diff by resource with Secret values hashed, and puts it in the JSON document', async () => {
    const { run, fake } = setup();
    const text = await run([...DRILL_ARGS, '--dry-run', '--diff']);
    expect(text.exitCode, text.stderr).toBe(0);
    expect(text.stdout).toContain('Manifest diff of videokit-api: revision 42 (current) -> 41 (target)');
    expect(text.stdout).toContain('  Secret/videokit-api-credentials: changed');
    expect(text.stdout).toContain('  Deployment/videokit-api: changed');
    expect(text.stdout).toContain('    -          image: registry.example/videokit-api:1.42.0');
    expect(text.stdout).toContain('    +          image: registry.example/videokit-api:1.41.0');
    expect(text.stdout).not.toContain('\u001b[');
    for (const secret of ['hunter2', 'new-password']) {
      expect(text.stdout).not.toContain(Buffer.from(secret).toString('base64'));
      expect(text.stderr).not.toContain(Buffer.from(secret).toString('base64'));
    }
    expect(fake.calls().filter((c) => c.argv[0] === 'get' && c.argv[1] === 'manifest')).toHaveLength(4);

    const json = await run([...DRILL_ARGS, '--dry-run', '--diff', '--output', 'json']);
    const doc = JSON.parse(json.stdout);
    expect(doc.diff.map((d: { release: string; from: number; to: number }) => [d.release, d.from, d.to])).toEqual([['videokit-api', 42, 41], ['videokit-worker', 18, 17]]);
    expect(doc.diff[0].resources.map((r: { resource: string; change: string }) => `${r.resource} ${r.change}`)).toEqual(['Secret/videokit-api-credentials changed', 'Deployment/videokit-api changed']);
    expect(json.stdout).not.toContain(Buffer.from('hunter2').toString('base64'));
    expect(doc.commands.filter((c: { argv: string[] }) => c.argv[2] === 'manifest').every((c: { result: { stdout: string } }) => c.result.stdout.startsWith('(withheld:'))).toBe(true);
  });
});
