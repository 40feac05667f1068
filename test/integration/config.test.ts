import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFaked } from '../support/inProcessCli.js';
import { runBuiltCli } from '../support/cli.js';
import { CTX, NS, drillRules } from '../support/drillRules.js';
import { createFakeTools } from '../support/fakeTools.js';

function setup(config: unknown, fileName = 'videokit-rollback.config.json') {
  const fake = createFakeTools(drillRules());
  const cwd = mkdtempSync(join(tmpdir(), 'vkr-config-'));
  const path = join(cwd, fileName);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof config === 'string' ? config : JSON.stringify(config));
  const run = (args: string[], env: Record<string, string> = {}) => runFaked(fake, args, { cwd, env: { ...fake.env, ...env } });
  return { fake, cwd, path, run };
}

const DRILL_CONFIG = { namespace: NS, releases: ['videokit-api', 'videokit-worker'], timeout: '8m', targetEnv: 'prod-eu-west-1' };

describe('config file', () => {
  it('supplies defaults from ./videokit-rollback.config.json; --dry-run shows where each value came from', async () => {
    const { run, fake, path } = setup(DRILL_CONFIG);
    const result = await run(['--dry-run', '--timeout', '9m'], { KUBE_CONTEXT: CTX });
    expect(result.stderr).not.toMatch(/error/);
    expect(result.exitCode).toBe(0);
    const [heading, ...rows] = (result.stdout.split('\n\n')[0] ?? '').split('\n');
    expect(heading).toBe('Settings (flags > environment > config file > built-in defaults):');
    expect(rows.map((line) => line.trim().split(/\s{2,}|(?<=^\w+) +/))).toEqual([
      ['releases', 'videokit-api, videokit-worker', `from config file ${path}`],
      ['namespace', NS, `from config file ${path}`],
      ['context', CTX, 'from $KUBE_CONTEXT'],
      ['targetEnv', 'prod-eu-west-1', `from config file ${path}`],
      ['timeout', '9m', 'from --timeout'],
      ['transcriptDir', 'reports/deploy', 'built-in default'],
    ]);
    // Planning reads run concurrently: which fake logs first is a race, so look the call up by release.
    expect(fake.calls().find((c) => c.argv[0] === 'history' && c.argv[1] === 'videokit-api')?.argv).toEqual(['history', 'videokit-api', '--namespace', NS, '--kube-context', CTX, '--output', 'json', '--max', '256']);
    expect(result.stdout).toContain(`--timeout 9m0s`);
  });

  it('--output json carries the settings and the file read', async () => {
    const { run, cwd } = setup({ context: CTX }, 'team.json');
    const result = await run(['--release', 'videokit-api', '--namespace', NS, '--dry-run', '--output', 'json'], { VIDEOKIT_ROLLBACK_CONFIG: 'team.json' });
    expect(result.exitCode).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.configFile).toBe(join(cwd, 'team.json'));
    expect(doc.contextSource).toBe('file');
    expect(doc.settings).toEqual({
      releases: { value: ['videokit-api'], source: 'flag', from: '--release' },
      namespace: { value: NS, source: 'flag', from: '--namespace' },
      context: { value: CTX, source: 'file', from: join(cwd, 'team.json') },
      targetEnv: { value: null, source: 'unset', from: null },
      timeout: { value: '10m', source: 'default', from: null },
      transcriptDir: { value: 'reports/deploy', source: 'default', from: null },
    });
  });

  it('puts the --execute transcript in transcriptDir, relative to the file', async () => {
    const { run, cwd } = setup({ ...DRILL_CONFIG, context: CTX, transcriptDir: 'audit/rollbacks' }, 'conf/vkr.json');
    const result = await run(['--execute', '--yes', '--config', 'conf/vkr.json']);
    expect(result.exitCode).toBe(0);
    const transcript = /transcript: (.*)/.exec(result.stderr)?.[1] ?? '';
    expect(transcript.startsWith(join(cwd, 'conf/audit/rollbacks/videokit-rollback-'))).toBe(true);
    expect(existsSync(transcript)).toBe(true);
  });

  it('refuses an unknown key before touching anything: one line naming file and key, exit 2', async () => {
    const { run, fake, path } = setup({ namespace: NS, namespce: 'typo' });
    const result = await run(['--release', 'videokit-api', '--dry-run'], { KUBE_CONTEXT: CTX });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe(
      `videokit-rollback: error: config file ${path}: unknown key "namespce"\n  hint: known keys: namespace, context, targetEnv, releases, timeout, transcriptDir, requireTargetEnv`,
    );
    expect(fake.calls()).toEqual([]);
  });

  it('--help states the precedence', async () => {
    const result = await runBuiltCli(['--help']);
    expect(result.stdout.replace(/\s+/g, ' ')).toContain('Defaults: flags win over the environment, which wins over the config file, which wins over the built-in defaults.');
    expect(result.stdout).toMatch(/--config <path>\s+config file of defaults \(default:\s+\$VIDEOKIT_ROLLBACK_CONFIG, else\s+\.\/videokit-rollback\.config\.json if present\)/);
  });
});
