import { describe, expect, it } from 'vitest';
import { cliArguments, resultBaseName, splitReleases, type ActionInputs } from '../../src/action/inputs.js';

const base: ActionInputs = { releases: 'videokit-api', namespace: 'videokit', context: '', targetEnv: '', mode: 'dry-run', timeout: '', plan: '', planOut: '' };
const paths = { transcript: '/w/reports/deploy/t.log' };

describe('splitReleases', () => {
  it('takes one per line, comma-separated, or both, trimming blanks and CRLF', () => {
    expect(splitReleases('videokit-api\nvideokit-worker\n')).toEqual(['videokit-api', 'videokit-worker']);
    expect(splitReleases('videokit-api, videokit-worker')).toEqual(['videokit-api', 'videokit-worker']);
    expect(splitReleases('  a ,b\r\n\n c,\n')).toEqual(['a', 'b', 'c']);
    expect(splitReleases(' \n , ')).toEqual([]);
  });
});

describe('cliArguments', () => {
  it('dry-run: releases in order, only the inputs given, never --yes, JSON result and a transcript', () => {
    expect(cliArguments({ ...base, releases: 'videokit-api\nvideokit-worker' }, paths)).toEqual([
      '--release', 'videokit-api', '--release', 'videokit-worker', '--namespace', 'videokit',
      '--dry-run', '--transcript', '/w/reports/deploy/t.log', '--output', 'json',
    ]);
  });

  it('execute passes --yes, and every optional input when given', () => {
    const args = cliArguments(
      { ...base, context: 'prod-eu-west-1-admin', targetEnv: 'prod-eu-west-1', mode: ' execute ', timeout: '10m' },
      paths,
    );
    expect(args).toEqual([
      '--release', 'videokit-api', '--namespace', 'videokit', '--context', 'prod-eu-west-1-admin',
      '--target-env', 'prod-eu-west-1', '--timeout', '10m', '--execute', '--yes',
      '--transcript', '/w/reports/deploy/t.log', '--output', 'json',
    ]);
  });

  it('refuses an unknown mode and an empty release list', () => {
    expect(() => cliArguments({ ...base, mode: 'Execute' }, paths)).toThrow('input mode must be dry-run or execute, not "Execute"');
    expect(() => cliArguments({ ...base, releases: ',\n' }, paths)).toThrow('input releases names no release');
  });

  it('dry-run with plan-out writes the plan for approval', () => {
    expect(cliArguments({ ...base, planOut: 'plan.json' }, paths)).toEqual([
      '--release', 'videokit-api', '--plan-out', 'plan.json', '--namespace', 'videokit',
      '--dry-run', '--transcript', '/w/reports/deploy/t.log', '--output', 'json',
    ]);
  });

  it('execute with an approved plan replaces releases and namespace', () => {
    expect(cliArguments({ ...base, releases: '', namespace: '', mode: 'execute', plan: 'plan.json', context: 'prod-eu-west-1-admin' }, paths)).toEqual([
      '--plan', 'plan.json', '--context', 'prod-eu-west-1-admin', '--execute', '--yes',
      '--transcript', '/w/reports/deploy/t.log', '--output', 'json',
    ]);
  });

  it('refuses plan inputs in the wrong mode or beside releases', () => {
    expect(() => cliArguments({ ...base, plan: 'plan.json' }, paths)).toThrow('input plan goes with mode execute');
    expect(() => cliArguments({ ...base, mode: 'execute', planOut: 'plan.json' }, paths)).toThrow('input plan-out goes with mode dry-run');
    expect(() => cliArguments({ ...base, mode: 'execute', plan: 'plan.json' }, paths)).toThrow('input plan replaces releases and namespace');
    expect(() => cliArguments({ ...base, namespace: '' }, paths)).toThrow('input namespace is required (unless plan is given)');
  });

  it('names result files after the mode and the UTC time', () => {
    expect(resultBaseName('execute', new Date('2026-11-26T09:05:07.123Z'))).toBe('videokit-rollback-execute-20261126T090507Z');
  });
});
