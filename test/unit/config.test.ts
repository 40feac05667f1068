import { describe, expect, it } from 'vitest';
import { configFileFor, resolveConfig } from '../../src/cli/config.js';
import { parseConfigFile, type ConfigFile } from '../../src/cli/configFile.js';
import type { RawOptions } from '../../src/cli/program.js';
import { flags } from '../support/flags.js';
import { buildProgram } from '../../src/cli/program.js';

const raw = (options: Partial<RawOptions> = {}) => flags({ output: 'text', concurrency: '8', parallel: '1', dryRun: true, ...options });
const FILE = '/etc/vkr/videokit-rollback.config.json';
const file = (values: ConfigFile['values']): ConfigFile => ({ path: FILE, values });
const full = file({
  namespace: 'from-file',
  context: 'ctx-file',
  targetEnv: 'ctx',
  releases: ['file-api', 'file-worker'],
  timeout: '5m',
  transcriptDir: 'audit',
});

describe('resolveConfig precedence: flags > environment > file > defaults', () => {
  it('takes everything from the file when neither flags nor environment say otherwise', () => {
    const config = resolveConfig(raw(), {}, full);
    expect(config).toMatchObject({
      releases: ['file-api', 'file-worker'],
      namespace: 'from-file',
      context: 'ctx-file',
      contextSource: 'file',
      targetEnv: 'ctx',
      timeoutMs: 300_000,
      transcriptDir: '/etc/vkr/audit',
      configFile: FILE,
    });
    for (const setting of Object.values(config.settings)) expect(setting).toMatchObject({ source: 'file', from: FILE });
  });

  it('environment beats the file, flags beat both', () => {
    const env = { KUBE_CONTEXT: 'ctx-env', TARGET_ENV: 'ctx-e' };
    const fromEnv = resolveConfig(raw(), env, full);
    expect(fromEnv.settings.context).toEqual({ value: 'ctx-env', source: 'env', from: '$KUBE_CONTEXT' });
    expect(fromEnv.settings.targetEnv).toEqual({ value: 'ctx-e', source: 'env', from: '$TARGET_ENV' });

    const fromFlags = resolveConfig(
      raw({ release: ['flag-api'], namespace: 'from-flag', context: 'ctx-flag', targetEnv: 'ctx-f', timeout: '90s' }),
      env,
      full,
    );
    expect(fromFlags).toMatchObject({ releases: ['flag-api'], namespace: 'from-flag', context: 'ctx-flag', contextSource: 'flag', targetEnv: 'ctx-f', timeoutMs: 90_000 });
    expect(fromFlags.settings.releases).toEqual({ value: ['flag-api'], source: 'flag', from: '--release' });
    expect(fromFlags.settings.timeout).toEqual({ value: '90s', source: 'flag', from: '--timeout' });
  });

  it('an empty --target-env switches the guard off whatever the environment and the file say', () => {
    const config = resolveConfig(raw({ targetEnv: '' }), { TARGET_ENV: 'ctx-e' }, full);
    expect(config.targetEnv).toBeUndefined();
    expect(config.settings.targetEnv).toEqual({ value: null, source: 'flag', from: '--target-env' });
  });

  it('built-in defaults when nothing sets a value; unset when nothing does and there is no default', () => {
    const config = resolveConfig(raw({ release: ['a'], namespace: 'ns' }), {});
    expect(config.settings).toEqual({
      releases: { value: ['a'], source: 'flag', from: '--release' },
      namespace: { value: 'ns', source: 'flag', from: '--namespace' },
      context: { value: null, source: 'unset', from: null },
      targetEnv: { value: null, source: 'unset', from: null },
      timeout: { value: '10m', source: 'default', from: null },
      transcriptDir: { value: 'reports/deploy', source: 'default', from: null },
    });
    expect(config.configFile).toBeUndefined();
  });

  it("reads the run's own environment, not this process's (which commander itself would read)", () => {
    const parsed = () => {
      // The rollback is the program's default action (runCli gives it one too).
      const program = buildProgram('0.0.0-test').action(() => undefined);
      const before = process.env.KUBE_CONTEXT;
      process.env.KUBE_CONTEXT = 'from-this-process';
      try {
        return program.parse(['--dry-run', '--release', 'a', '--namespace', 'ns'], { from: 'user' });
      } finally {
        if (before === undefined) delete process.env.KUBE_CONTEXT;
        else process.env.KUBE_CONTEXT = before;
      }
    };
    expect(resolveConfig(parsed(), {}).settings.context).toEqual({ value: null, source: 'unset', from: null });
    expect(resolveConfig(parsed(), { KUBE_CONTEXT: 'ctx-env' }).settings.context).toEqual({ value: 'ctx-env', source: 'env', from: '$KUBE_CONTEXT' });
    expect(resolveConfig(parsed(), { KUBE_CONTEXT: '' }, full).settings.context).toEqual({ value: 'ctx-file', source: 'file', from: FILE });
  });

  it('binaries: a flag, else the variable, else the name on PATH; an empty flag names nothing; messages name where each came from', () => {
    const env = { HELM_BIN: '/opt/helm', KUBECTL_BIN: '/opt/kubectl' };
    expect(resolveConfig(raw({ release: ['a'], namespace: 'ns', helm: '/x/helm' }), env)).toMatchObject({
      helm: '/x/helm', kubectl: '/opt/kubectl', binaryOrigins: { helm: '--helm', kubectl: 'KUBECTL_BIN' },
    });
    expect(resolveConfig(raw({ release: ['a'], namespace: 'ns', helm: '' }), env)).toMatchObject({ helm: '/opt/helm', binaryOrigins: { helm: 'HELM_BIN' } });
    expect(resolveConfig(raw({ release: ['a'], namespace: 'ns' }), {})).toMatchObject({ helm: 'helm', kubectl: 'kubectl', binaryOrigins: { helm: '--helm', kubectl: '--kubectl' } });
  });

  it('a bad value from the file is refused with the file and the key named', () => {
    const attempt = (values: ConfigFile['values']) => () => resolveConfig(raw(), {}, file({ namespace: 'ns', releases: ['a'], ...values }));
    expect(attempt({ timeout: 'soon' })).toThrow(`config file ${FILE}: key "timeout": invalid duration "soon"`);
    expect(attempt({ namespace: 'Bad_NS' })).toThrow(`config file ${FILE}: key "namespace": `);
    expect(attempt({ context: 'has space' })).toThrow(`config file ${FILE}: key "context": `);
    expect(attempt({ releases: ['a', 'a'] })).toThrow(`config file ${FILE}: key "releases": a is listed twice`);
    // The same bad value from a flag keeps the flag's own message.
    expect(() => resolveConfig(raw({ release: ['a'], namespace: 'ns', timeout: 'soon' }), {}, full)).toThrow(/^--timeout: invalid duration "soon"/);
  });
});

describe('parseConfigFile', () => {
  it('accepts every documented key', () => {
    const text = JSON.stringify({ namespace: 'n', context: 'c', targetEnv: 't', releases: ['r'], timeout: '1m', transcriptDir: 'd' });
    expect(parseConfigFile('/x.json', text).values).toEqual(JSON.parse(text));
  });

  it.each([
    ['{"namespce": "videokit"}', 'config file /x.json: unknown key "namespce"'],
    ['{"timeout": 600}', 'config file /x.json: key "timeout": Invalid input: expected string, received number'],
    ['{"releases": "videokit-api"}', 'config file /x.json: key "releases": '],
    ['{"releases": []}', 'config file /x.json: key "releases": '],
    ['[]', 'config file /x.json: '],
    ['{"namespace": "videokit",}', 'config file /x.json: not valid JSON: '],
  ])('%s is refused naming the file and the key', (text, message) => {
    expect(() => parseConfigFile('/x.json', text)).toThrow(message);
  });
});

describe('loadConfigFile', () => {
  const files: Record<string, string> = { '/w/videokit-rollback.config.json': '{"namespace":"cwd"}', '/w/other.json': '{"namespace":"other"}', '/etc/env.json': '{"namespace":"env"}' };
  const reader = {
    readFile: (path: string) => {
      const text = files[path];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
      return text;
    },
  };

  const loadConfigFile = (config: string | undefined, env: NodeJS.ProcessEnv, cwd: string, files: typeof reader) =>
    configFileFor(flags({ config }), env, cwd, files);

  it('--config, else $VIDEOKIT_ROLLBACK_CONFIG, else ./videokit-rollback.config.json', () => {
    const env = { VIDEOKIT_ROLLBACK_CONFIG: '/etc/env.json' };
    expect(loadConfigFile('other.json', env, '/w', reader)?.values.namespace).toBe('other');
    expect(loadConfigFile(undefined, env, '/w', reader)?.values.namespace).toBe('env');
    expect(loadConfigFile(undefined, {}, '/w', reader)?.values.namespace).toBe('cwd');
  });

  it('a missing default file is fine; a missing named file is an error naming where it came from', () => {
    expect(loadConfigFile(undefined, {}, '/empty', reader)).toBeUndefined();
    expect(() => loadConfigFile('nope.json', {}, '/w', reader)).toThrow('config file /w/nope.json (from --config) cannot be read');
    expect(() => loadConfigFile(undefined, { VIDEOKIT_ROLLBACK_CONFIG: '/nope.json' }, '/w', reader)).toThrow(
      'config file /nope.json (from $VIDEOKIT_ROLLBACK_CONFIG) cannot be read',
    );
  });
});
