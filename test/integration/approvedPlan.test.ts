import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFaked } from '../support/inProcessCli.js';
import { CTX, DRILL_ARGS, DRILL_HISTORY, NS, drillRules } from '../support/drillRules.js';
import { createFakeTools, type FakeRule } from '../support/fakeTools.js';
import { CLUSTER_SERVER, manifestOf, planRules } from '../support/planRules.js';
import { readRecord } from '../support/record.js';

function setup(extra: FakeRule[] = [], history = DRILL_HISTORY) {
  const fake = createFakeTools([...extra, ...planRules(), ...drillRules({ history })]);
  const cwd = mkdtempSync(join(tmpdir(), 'vkr-plan-'));
  const run = (args: string[], env: Record<string, string> = {}) => runFaked(fake, args, { cwd, env: { ...fake.env, TARGET_ENV: 'prod-eu-west-1', ...env } });
  return { fake, cwd, run };
}

const writes = (calls: { argv: string[] }[]) => calls.filter((c) => c.argv[0] === 'rollback');

describe('approved plans with the fake binaries', () => {
  it('--dry-run --plan-out writes the versioned document; --execute --plan re-reads and runs exactly it', async () => {
    const { fake, run, cwd } = setup();
    const dry = await run([...DRILL_ARGS, '--dry-run', '--plan-out', 'approved/plan.json']);
    expect(dry.exitCode, dry.stderr).toBe(0);
    const path = join(cwd, 'approved/plan.json');
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    expect(doc).toMatchObject({
      kind: 'videokit-rollback/approved-plan', schemaVersion: 1, tool: { name: 'videokit-rollback' },
      helm: { version: 'v4.1.4+g05fa379' }, kubectl: { version: 'v1.35.2' }, context: CTX, cluster: { server: CLUSTER_SERVER },
      namespace: NS, targetEnv: 'prod-eu-west-1', allowPending: false,
    });
    expect(doc.releases[0]).toMatchObject({ release: 'videokit-api', current: { revision: 42, status: 'deployed' }, target: { revision: 41, status: 'superseded' }, deployments: ['deployment/videokit-api'] });
    const { createHash } = await import('node:crypto');
    expect(doc.releases[0].targetManifestSha256).toBe(createHash('sha256').update(manifestOf('videokit-api', 41, 'hunter2')).digest('hex'));
    expect(dry.stdout).toContain(`Approved-plan document written: ${path}`);
    expect(writes(fake.calls())).toEqual([]);

    const executed = await run(['--plan', 'approved/plan.json', '--execute', '--yes', '--transcript', 'run.jsonl']);
    expect(executed.exitCode, executed.stderr).toBe(0);
    expect(writes(fake.calls()).map((c) => c.argv.slice(0, 3))).toEqual([['rollback', 'videokit-api', '41'], ['rollback', 'videokit-worker', '17']]);
    const events = readRecord(join(cwd, 'run.jsonl'));
    const verified = events.find((e) => e.type === 'plan-document');
    expect(verified).toMatchObject({ action: 'verified', path: 'approved/plan.json', createdAt: doc.createdAt });
    expect(verified.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    // the manifest's Secret data never reaches the transcript
    const transcript = readFileSync(join(cwd, 'run.jsonl'), 'utf8');
    expect(transcript).not.toContain(Buffer.from('hunter2').toString('base64'));
    expect(transcript).toMatch(/withheld: \d+ bytes, sha256 [0-9a-f]{64}/);
  });

  it('3: refuses, listing each difference, when the cluster moved since the approval; nothing is written', async () => {
    const first = setup();
    expect((await first.run([...DRILL_ARGS, '--dry-run', '--plan-out', 'plan.json'])).exitCode).toBe(0);
    const plan = readFileSync(join(first.cwd, 'plan.json'), 'utf8');

    const moved = setup(
      [{ tool: 'helm', args: ['get', 'manifest', 'videokit-worker', '--revision', '17', '--namespace', NS, '--kube-context', CTX], stdout: manifestOf('videokit-worker', 17, 'changed') }],
      { ...DRILL_HISTORY, 'videokit-api': [...(DRILL_HISTORY['videokit-api'] ?? []).map((r) => ({ ...r, status: 'superseded' })), { revision: 43, status: 'deployed' }] },
    );
    writeFileSync(join(moved.cwd, 'plan.json'), plan);
    const result = await moved.run(['--plan', 'plan.json', '--execute', '--yes']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr.split('\n')).toEqual(expect.arrayContaining([
      'videokit-rollback: error: the approved plan plan.json no longer matches the cluster; nothing was changed',
      '  videokit-api: new revision 43 (deployed) since the plan was approved at 42',
      '  videokit-api: different target: approved 41, now 42',
      expect.stringMatching(/^ {2}videokit-worker: manifest of target revision 17 differs \(sha256 [0-9a-f]{12}… approved, [0-9a-f]{12}… now\)$/),
    ]));
    expect(writes(moved.fake.calls())).toEqual([]);

    const otherCluster = setup();
    otherCluster.fake.setRules([...planRules({ server: 'https://10.9.9.9:6443' }), ...drillRules()]);
    writeFileSync(join(otherCluster.cwd, 'plan.json'), plan);
    const elsewhere = await otherCluster.run(['--plan', 'plan.json', '--execute', '--yes']);
    expect(elsewhere.exitCode).toBe(3);
    expect(elsewhere.stderr).toContain(`cluster of context ${CTX}: approved ${CLUSTER_SERVER}, now https://10.9.9.9:6443`);
    const otherContext = await otherCluster.run(['--plan', 'plan.json', '--execute', '--yes', '--context', 'prod-eu-west-1-readonly']);
    expect(otherContext.exitCode).toBe(3);
    expect(otherContext.stderr).toContain(`context: approved ${CTX}, now prod-eu-west-1-readonly (from --context)`);
    expect(otherCluster.fake.calls().filter((c) => c.argv[0] !== 'version' && c.argv[0] !== 'config' && c.argv[0] !== 'get' && c.argv[0] !== 'history')).toEqual([]);
  });

  it('refuses plans that are too old (exit 3), malformed, or combined with --release (exit 2), before any command', async () => {
    const { fake, run, cwd } = setup();
    expect((await run([...DRILL_ARGS, '--dry-run', '--plan-out', 'plan.json'])).exitCode).toBe(0);
    const doc = JSON.parse(readFileSync(join(cwd, 'plan.json'), 'utf8'));
    writeFileSync(join(cwd, 'old.json'), JSON.stringify({ ...doc, createdAt: new Date(Date.now() - 2 * 3_600_000).toISOString() }));
    writeFileSync(join(cwd, 'bad.json'), JSON.stringify({ ...doc, releases: [] }));
    const before = fake.calls().length;
    const old = await run(['--plan', 'old.json', '--execute', '--yes', '--transcript', 'old.log']);
    expect(old.exitCode).toBe(3);
    expect(old.stderr).toMatch(/old\.json was created at .*, 120 min ago: older than --plan-max-age/);
    expect(readFileSync(join(cwd, 'old.log'), 'utf8')).toMatch(/outcome: plan-refused exit=3 .*older than --plan-max-age/);
    expect((await run(['--plan', 'old.json', '--execute', '--yes', '--plan-max-age', '3h'])).exitCode).toBe(0);
    const after = fake.calls().length;
    expect(after).toBeGreaterThan(before);
    const cases: [string[], RegExp][] = [
      [['--plan', 'bad.json', '--execute', '--yes'], /--plan bad.json is malformed at releases/],
      [['--plan', 'missing.json', '--execute', '--yes'], /--plan missing.json: cannot read it: ENOENT/],
      [['--plan', 'plan.json', '--release', 'videokit-api', '--execute', '--yes'], /--plan plan.json decides --release/],
      [['--plan', 'plan.json', '--dry-run'], /--plan goes with --execute/],
      [[...DRILL_ARGS, '--execute', '--yes', '--plan-out', 'x.json'], /--plan-out goes with --dry-run/],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      expect({ args, code: result.exitCode }).toEqual({ args, code: 2 });
      expect(result.stderr).toMatch(message);
    }
    expect(fake.calls()).toHaveLength(after);
  });
});

describe('--wait-strategy (helm 4 only)', () => {
  it('helm 4: rollbacks get --wait=legacy; helm 3: refused with exit 2 before any write', async () => {
    const helm4 = setup();
    const ok = await helm4.run([...DRILL_ARGS, '--execute', '--yes', '--wait-strategy', 'legacy']);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(helm4.fake.calls().filter((c) => c.argv[0] === 'version')).toHaveLength(1);
    expect(writes(helm4.fake.calls()).map((c) => c.argv.find((a) => a.startsWith('--wait')))).toEqual(['--wait=legacy', '--wait=legacy']);

    const helm3 = setup([{ tool: 'helm', args: ['version', '--short'], stdout: 'v3.17.3+ge4da497\n' }]);
    const refused = await helm3.run([...DRILL_ARGS, '--execute', '--yes', '--wait-strategy', 'watcher']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/--wait-strategy watcher needs helm 4; v3.17.3\+ge4da497 only has a plain --wait/);
    expect(helm3.fake.calls().map((c) => c.argv.slice(0, 2).join(' '))).toEqual(['version --short']);
    const bare = await helm3.run([...DRILL_ARGS, '--execute', '--yes']);
    expect(bare.exitCode).toBe(0);
    expect(writes(helm3.fake.calls()).every((c) => c.argv.includes('--wait') && !c.argv.some((a) => a.startsWith('--wait=')))).toBe(true);
    expect(helm3.fake.calls().filter((c) => c.argv[0] === 'version')).toHaveLength(1); // only when something depends on it
    const invalid = await helm3.run([...DRILL_ARGS, '--execute', '--yes', '--wait-strategy', 'hookOnly']);
    expect(invalid.exitCode).toBe(2);
  });
});
