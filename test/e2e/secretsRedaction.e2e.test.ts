import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../sandbox/index.js';
import { MATRIX, requireBinaries } from '../support/binaries.js';
import { apiOnlyScenario, runAgainst } from '../support/sandboxRun.js';

/**
 * Secrets in the stored manifests, written in block, folded, literal, flow and
 * multi-document YAML: with --diff, no plaintext value reaches the terminal, the JSON
 * document or the transcript.
 */
const PLAINTEXT = ['blockPlain0042', 'foldedPlain0042', 'literalPlain0042', 'flowPlain0042', 'secondDocPlain0042', 'cG9zdGdyZXM6Ly9zZWNyZXQ='];
const secrets = (revision: number) =>
  [
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: videokit-api-env',
    'stringData:',
    `  DATABASE_PASSWORD: blockPlain0042-r${revision}`,
    '  NOTE: >-',
    `    foldedPlain0042 r${revision}`,
    '  CONFIG: |',
    `    password=literalPlain0042-r${revision}`,
    `data: {DATABASE_URL: cG9zdGdyZXM6Ly9zZWNyZXQ=, FLOW: flowPlain0042-r${revision}}`,
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata: {name: videokit-api-second}',
    'stringData:',
    `  token: "secondDocPlain0042-r${revision}"`,
    '',
  ].join('\n');

const scenario = apiOnlyScenario((revision) => ({ extraManifest: secrets(revision) }));

const ARGS = ['--release', 'videokit-api', '--namespace', 'videokit', '--context', 'prod-eu-west-1-admin', '--dry-run', '--diff'];

describe.each(MATRIX)('Secrets in every YAML style ($name)', (pair) => {
  beforeAll(() => requireBinaries([pair]));

  it('no plaintext value in the diff, the JSON document or the transcript', async () => {
    const sandbox = await startSandbox({ scenario });
    try {
      const text = await runAgainst(sandbox, pair, [...ARGS, '--transcript', 'dry.log']);
      const json = await runAgainst(sandbox, pair, [...ARGS, '--output', 'json', '--transcript', 'dry.jsonl']);
      expect(text.exitCode).toBe(0);
      expect(json.exitCode).toBe(0);
      // The diff was shown, and the Secrets were in it (hidden).
      expect(text.stdout).toContain('Manifest diff of videokit-api');
      expect(text.stdout).toMatch(/Secret\/videokit-api-env: changed/);
      const document = JSON.parse(json.stdout) as { diff: { resources: { resource: string }[] }[] };
      expect(document.diff[0]?.resources.map((r) => r.resource)).toEqual(expect.arrayContaining(['Secret/videokit-api-env', 'Secret/videokit-api-second']));
      const seen = [text.stdout, text.stderr, json.stdout, json.stderr, readFileSync(join(sandbox.dir, 'dry.log'), 'utf8'), readFileSync(join(sandbox.dir, 'dry.jsonl'), 'utf8')];
      for (const output of seen) for (const value of PLAINTEXT) expect(output).not.toContain(value);
    } finally {
      await sandbox.stop();
    }
  }, 60_000);
});
