import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { requireBinaries } from '../support/binaries.js';
import { NEWEST } from '../support/pairs.js';
import { DRILL_ARGS } from '../support/drillRules.js';
import { section, table } from '../support/markdownTable.js';
import { runAgainst, withSandbox } from '../support/sandboxRun.js';

const TARGET_ENV = { TARGET_ENV: 'prod-eu-west-1' };
const image = (release: string, tag: string) => `registry.example/${release}:${tag}`;

/**
 * The drill and the after-action report on the sandbox, with the real helm and kubectl:
 * every figure in the reports below came from the binaries' own output, through the
 * transcript, never from the sandbox directly. A drill's two stages are helm rollbacks
 * like any execute's (on every pair in lineage.e2e); the round trip and its report are
 * the tool's own logic, so this runs on the newest pair (see itOnNewest).
 */
describe.each(NEWEST)('drill and report on the sandbox ($name)', (pair) => {
  beforeAll(() => requireBinaries([pair]));

  it('a drill ends with every release back on its original image, and its report shows the round trip', async () => {
    await withSandbox('drill', async (sandbox) => {
      const run = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes', '--drill', '--timeout', '2m', '--transcript', 'drill.jsonl'], TARGET_ENV);
      expect(run.stderr).not.toMatch(/error:/);
      expect(run.exitCode).toBe(0);

      for (const [release, original, rolledBack] of [['videokit-api', 42, 41], ['videokit-worker', 18, 17]] as const) {
        const history = sandbox.releaseHistory(release);
        expect(history.slice(-2)).toMatchObject([
          { revision: original + 1, status: 'superseded', description: `Rollback to ${rolledBack}` },
          { revision: original + 2, status: 'deployed', description: `Rollback to ${original}` },
        ]);
        const ready = sandbox.pods(release).filter((p) => p.ready);
        expect(ready.length).toBeGreaterThan(0);
        expect(new Set(ready.map((p) => p.image))).toEqual(new Set([image(release, `1.${original}.0`)]));
      }

      const md = readFileSync(join(sandbox.dir, 'drill.md'), 'utf8');
      expect(table(md, 'Before and after')).toEqual([
        ['videokit-api', 'before', '42', '0.42.0', '1.42.0', image('videokit-api', '1.42.0'), 'deployed, pods 2/2 ready'],
        ['videokit-api', 'after rollback', '43 (rollback to 41)', '0.41.0', '1.41.0', image('videokit-api', '1.41.0'), 'deployed, pods 2/2 ready'],
        ['videokit-api', 'after roll forward', '44 (rollback to 42)', '0.42.0', '1.42.0', image('videokit-api', '1.42.0'), 'deployed, pods 2/2 ready'],
        ['videokit-worker', 'before', '18', '0.18.0', '1.18.0', image('videokit-worker', '1.18.0'), 'deployed, pods 1/1 ready'],
        ['videokit-worker', 'after rollback', '19 (rollback to 17)', '0.17.0', '1.17.0', image('videokit-worker', '1.17.0'), 'deployed, pods 1/1 ready'],
        ['videokit-worker', 'after roll forward', '20 (rollback to 18)', '0.18.0', '1.18.0', image('videokit-worker', '1.18.0'), 'deployed, pods 1/1 ready'],
      ]);
      const validation = table(md, 'Validation');
      expect(validation.map((row) => [row[0], row[1], row[3]])).toEqual([
        ['rollback', 'videokit-api', 'rolled-back'],
        ['rollback', 'videokit-worker', 'rolled-back'],
        ['roll forward', 'videokit-api', 'rolled-forward'],
        ['roll forward', 'videokit-worker', 'rolled-forward'],
      ]);
      // Pods from kubectl's own listing: every pod of the release ready, no restarts.
      for (const row of validation) expect(row[5]).toMatch(/^(\d+)\/\1 \(\1 Running\)$/);
      const objective = table(md, 'Overview').find((row) => row[0] === 'Objective')?.[1];
      expect(objective).toMatch(/^healthy within 2m \(--timeout\): met \(rollback healthy after .+; roll forward healthy after .+\)$/);
    });
  });

  it('reports of a skipped release and of a failed rollback that a drill restored', async () => {
    await withSandbox('single-revision', async (sandbox) => {
      const run = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes', '--timeout', '1m', '--transcript', 'run.jsonl'], TARGET_ENV);
      expect(run.exitCode).toBe(0);
      const report = await runAgainst(sandbox, pair, ['report', 'run.jsonl']);
      expect(report.exitCode).toBe(0);
      expect(table(report.stdout, 'Before and after').map((row) => row.slice(0, 5))).toEqual([
        ['videokit-api', 'before', '42', '0.42.0', '1.42.0'],
        ['videokit-api', 'after rollback', '43 (rollback to 41)', '0.41.0', '1.41.0'],
        ['videokit-worker', 'before', '1', '0.1.0', '1.1.0'],
      ]);
      expect(section(report.stdout, 'Observations').join('\n')).toMatch(/- videokit-worker was skipped: only revision 1 exists/);
    });

    await withSandbox('never-ready', async (sandbox) => {
      const run = await runAgainst(sandbox, pair, [...DRILL_ARGS, '--execute', '--yes', '--drill', '--timeout', '8s', '--transcript', 'drill.jsonl'], TARGET_ENV);
      expect(run.exitCode).toBe(4);
      // The api's rollback failed; the drill rolled it forward again and never touched the worker.
      expect(sandbox.releaseHistory('videokit-api').at(-1)).toMatchObject({ status: 'deployed', description: 'Rollback to 42' });
      expect(sandbox.releaseHistory('videokit-worker').at(-1)?.revision).toBe(18);
      expect(new Set(sandbox.pods('videokit-api').filter((p) => p.ready).map((p) => p.image))).toEqual(new Set([image('videokit-api', '1.42.0')]));

      const md = readFileSync(join(sandbox.dir, 'drill.md'), 'utf8');
      const rows = table(md, 'Before and after');
      expect(rows.map((row) => [row[0], row[1], row[2], row[6]?.split(',')[0]])).toEqual([
        ['videokit-api', 'before', '42', 'deployed'],
        ['videokit-api', 'after rollback', '43', 'failed'],
        ['videokit-api', 'after roll forward', '44 (rollback to 42)', 'deployed'],
        ['videokit-worker', 'before', '18', 'deployed'],
      ]);
      expect(rows[2]?.[5]).toBe(image('videokit-api', '1.42.0'));
      const observations = section(md, 'Observations').join('\n');
      expect(observations).toMatch(/rollback of videokit-api \(revision 42 to 41\) ended rollback-failed: helm rollback exited 1/);
      expect(observations).toContain('videokit-api was rolled forward to revision 42, the revision it had before the drill.');
      expect(table(md, 'Overview').find((row) => row[0] === 'Objective')?.[1]).toMatch(/not met \(rollback failed after .*; roll forward healthy after/);
    });
  });
});
