import { describe, expect, it } from 'vitest';
import { cliArguments as fromReader, inputVariable, resultBaseName, splitReleases } from '../../src/action/inputs.js';

const base: Record<string, string> = { releases: 'videokit-api', namespace: 'videokit', mode: 'dry-run' };
const paths = { transcript: '/w/reports/deploy/t.log' };
/** The inputs as the action reads them: '' for one not given. */
const cliArguments = (inputs: Record<string, string>, p: typeof paths) => fromReader((name) => inputs[name] ?? '', p);

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
      { ...base, context: 'prod-eu-west-1-admin', 'target-env': 'prod-eu-west-1', mode: ' execute ', timeout: '10m' },
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
    expect(cliArguments({ ...base, 'plan-out': 'plan.json' }, paths)).toEqual([
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
    expect(() => cliArguments({ ...base, mode: 'execute', 'plan-out': 'plan.json' }, paths)).toThrow('input plan-out goes with mode dry-run');
    expect(() => cliArguments({ ...base, mode: 'execute', plan: 'plan.json' }, paths)).toThrow('input plan replaces releases and namespace');
    expect(() => cliArguments({ ...base, namespace: '' }, paths)).toThrow('input namespace is required (unless plan is given)');
  });

  it('passes every CI run option: values, one-per-line lists and true/false flags', () => {
    const args = cliArguments(
      {
        ...base,
        mode: 'execute',
        context: 'prod-eu-west-1-admin',
        'plan-max-age': '30m',
        'wait-strategy': 'watcher',
        parallel: '2',
        concurrency: '4',
        helm: '/opt/helm',
        kubectl: '/opt/kubectl',
        config: 'vkr.json',
        'annotate-dashboard': 'abc',
        'to-revision': 'videokit-api=40\nvideokit-worker=16\n',
        'check-url': 'https://api.example/readyz?a=1,2\n https://worker.example/healthz \n',
        'annotate-tag': 'drill',
        atomic: 'true',
        drill: 'True',
        'allow-pending': 'TRUE',
        diff: 'false',
        annotate: 'true',
      },
      paths,
    );
    expect(args).toEqual([
      '--release', 'videokit-api', '--namespace', 'videokit', '--context', 'prod-eu-west-1-admin',
      '--plan-max-age', '30m', '--wait-strategy', 'watcher', '--parallel', '2', '--concurrency', '4',
      '--helm', '/opt/helm', '--kubectl', '/opt/kubectl', '--config', 'vkr.json', '--annotate-dashboard', 'abc',
      '--to-revision', 'videokit-api=40', '--to-revision', 'videokit-worker=16',
      '--check-url', 'https://api.example/readyz?a=1,2', '--check-url', 'https://worker.example/healthz',
      '--annotate-tag', 'drill', '--atomic', '--drill', '--allow-pending', '--annotate',
      '--execute', '--yes', '--transcript', '/w/reports/deploy/t.log', '--output', 'json',
    ]);
  });

  it('refuses a flag input that is not true or false', () => {
    expect(() => cliArguments({ ...base, atomic: 'yes' }, paths)).toThrow('input atomic must be true or false, not "yes"');
  });

  it('reads inputs from the variables the runner sets', () => {
    expect(inputVariable('target-env')).toBe('INPUT_TARGET-ENV');
    expect(inputVariable('check url')).toBe('INPUT_CHECK_URL');
  });

  it('names result files after the mode and the UTC time', () => {
    expect(resultBaseName('execute', new Date('2026-11-26T09:05:07.123Z'))).toBe('videokit-rollback-execute-20261126T090507Z');
  });
});
