import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/cli/config.js';
import { checkTargetEnv, contextInTargetEnv } from '../../src/domain/targetEnv.js';
import { parseConfigFile } from '../../src/cli/configFile.js';
import type { RawOptions } from '../../src/cli/program.js';
import { flags } from '../support/flags.js';

const raw = (options: Partial<RawOptions> = {}) => flags({
  output: 'text', concurrency: '8', parallel: '1', dryRun: true, release: ['videokit-api'], namespace: 'videokit', context: 'prod-eu-west-1-admin', ...options,
});

describe('the TARGET_ENV guard', () => {
  it('admits the environment itself and the environment followed by a separator', () => {
    for (const context of ['prod-eu-west-1', 'prod-eu-west-1-admin', 'prod-eu-west-1_ro', 'prod-eu-west-1.ops', 'prod-eu-west-1:admin', 'prod-eu-west-1@ops', 'prod-eu-west-1/admin', 'prod-eu-west-1-']) {
      expect([context, contextInTargetEnv(context, 'prod-eu-west-1')]).toEqual([context, true]);
    }
  });

  it('refuses another region that merely starts with the same letters, and anything else', () => {
    for (const context of ['prod-eu-west-10-admin', 'prod-eu-west-10', 'prod-eu-west-1a', 'prod-eu-west-', 'staging-prod-eu-west-1', 'PROD-EU-WEST-1', 'prod-eu-west-1+x', ' prod-eu-west-1']) {
      expect([context, contextInTargetEnv(context, 'prod-eu-west-1')]).toEqual([context, false]);
    }
  });

  it('refuses with a usage error (exit 2) that names both', () => {
    expect(() => checkTargetEnv('prod-eu-west-10-admin', 'prod-eu-west-1')).toThrow(
      'context "prod-eu-west-10-admin" does not belong to TARGET_ENV "prod-eu-west-1" (it must equal it, or start with it followed by one of - _ . : @ /); refusing',
    );
    expect(() => checkTargetEnv('prod-eu-west-10-admin', 'prod-eu-west-1')).toThrow(expect.objectContaining({ kind: 'usage' }));
    expect(() => checkTargetEnv('anything', undefined)).not.toThrow();
  });

  it('"requireTargetEnv" in the config file refuses a run without TARGET_ENV, dry-run or not, and an empty --target-env', () => {
    const file = parseConfigFile('/etc/vkr.json', JSON.stringify({ requireTargetEnv: true }));
    expect(() => resolveConfig(raw(), {}, file)).toThrow(/config file \/etc\/vkr.json: "requireTargetEnv" is set and no TARGET_ENV is given/);
    expect(() => resolveConfig(raw({ dryRun: undefined, execute: true }), {}, file)).toThrow(/requireTargetEnv/);
    expect(() => resolveConfig(raw({ targetEnv: '' }), { TARGET_ENV: 'prod-eu-west-1' }, file)).toThrow(/requireTargetEnv/);
    expect(resolveConfig(raw(), { TARGET_ENV: 'prod-eu-west-1' }, file).targetEnv).toBe('prod-eu-west-1');
    expect(resolveConfig(raw(), {}, parseConfigFile('/etc/vkr.json', '{"requireTargetEnv": false}')).targetEnv).toBeUndefined();
    expect(() => parseConfigFile('/etc/vkr.json', '{"requireTargetEnv": "yes"}')).toThrow(/key "requireTargetEnv"/);
  });
});
