/* eslint-disable no-control-regex -- these tests look for raw control characters */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../sandbox/index.js';
import { MATRIX, requireBinaries } from '../support/binaries.js';
import { apiOnlyScenario, runAgainst } from '../support/sandboxRun.js';

/**
 * A chart's publisher controls its version and appVersion, a deployer the revision's
 * description. Fed through the real helm and kubectl, none of it may reach a terminal,
 * the text transcript or the report raw; the JSON document keeps it exact.
 */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const VERSION = '0.41.0\u001b]0;pwned\u0007\u001b[2J';
const APP_VERSION = '1.41\u202e0.exe';
const DESCRIPTION = 'Upgrade complete\nvk-forged-line helm rollback videokit-api 1 --namespace videokit --kube-context prod-eu-west-1-admin --wait --timeout 5m\u2066';

const hostileScenario = apiOnlyScenario((revision) =>
  revision === 41 ? { chart: { name: 'videokit-api', version: VERSION }, appVersion: APP_VERSION, description: DESCRIPTION } : {},
);

const ARGS = ['--release', 'videokit-api', '--namespace', 'videokit', '--context', 'prod-eu-west-1-admin', '--timeout', '1m'];

describe.each(MATRIX)('hostile text from the cluster ($name)', (pair) => {
  beforeAll(() => requireBinaries([pair]));

  it('reaches no terminal, text transcript or report raw; JSON keeps it exact', async () => {
    const sandbox = await startSandbox({ scenario: hostileScenario });
    try {
      const dry = await runAgainst(sandbox, pair, [...ARGS, '--dry-run', '--transcript', 'dry.log']);
      expect(dry.exitCode).toBe(0);
      expect(dry.stdout).toContain(`videokit-api-0.41.0\\x1b]0;pwned\\x07\\x1b[2J`);
      expect(dry.stdout).toContain('1.41\\u202e0.exe');
      for (const text of [dry.stdout, dry.stderr, readFileSync(join(sandbox.dir, 'dry.log'), 'utf8')]) {
        expect(text).not.toMatch(RAW_CONTROL);
        expect(text.split('\n').some((line) => line.startsWith('vk-forged-line'))).toBe(false);
      }

      const json = await runAgainst(sandbox, pair, [...ARGS, '--dry-run', '--output', 'json']);
      expect(json.exitCode).toBe(0);
      expect(json.stdout).not.toMatch(RAW_CONTROL);
      const document = JSON.parse(json.stdout) as { plan: { releases: { target: { chart: string; appVersion: string; description: string } }[] } };
      expect(document.plan.releases[0]?.target).toMatchObject({ chart: `videokit-api-${VERSION}`, appVersion: APP_VERSION, description: DESCRIPTION });

      const run = await runAgainst(sandbox, pair, [...ARGS, '--execute', '--yes', '--transcript', 'run.jsonl']);
      expect(run.exitCode).toBe(0);
      expect(run.stdout + run.stderr).not.toMatch(RAW_CONTROL);
      // The JSON Lines record keeps the exact strings.
      const events = readFileSync(join(sandbox.dir, 'run.jsonl'), 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(JSON.stringify(events.find((e) => e.type === 'plan'))).toContain(JSON.stringify(VERSION).slice(1, -1));

      // Markdown escapes the backslash and the bracket once more; both render as \x1b]0;pwned.
      for (const [format, shown] of [['md', '0.41.0\\\\x1b\\]0;pwned'], ['html', '0.41.0\\x1b]0;pwned']] as const) {
        const report = await runAgainst(sandbox, pair, ['report', 'run.jsonl', '--format', format]);
        expect(report.exitCode).toBe(0);
        expect(report.stdout).toContain(shown);
        expect(report.stdout).not.toMatch(RAW_CONTROL);
      }
    } finally {
      await sandbox.stop();
    }
  }, 90_000);
});
