import { describe, expect, it } from 'vitest';
import { cliArguments, resultBaseName, splitReleases, type ActionInputs } from '../../src/action/inputs.js';

const base: ActionInputs = { releases: 'videokit-api', namespace: 'videokit', context: '', targetEnv: '', mode: 'dry-run', timeout: '' };
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
      { releases: 'videokit-api', namespace: 'videokit', context: 'prod-eu-west-1-admin', targetEnv: 'prod-eu-west-1', mode: ' execute ', timeout: '10m' },
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

  it('names result files after the mode and the UTC time', () => {
    expect(resultBaseName('execute', new Date('2026-11-26T09:05:07.123Z'))).toBe('videokit-rollback-execute-20261126T090507Z');
  });
});
