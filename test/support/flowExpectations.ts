import type { Clock } from '../../src/process/budget.js';
import { CTX, DRILL_HISTORY, NS, POD_LISTING } from './drillRules.js';
import { deploymentsJson, historyJson } from './history.js';
import type { Expectation } from './recordingRunner.js';

/**
 * The commands of the drill's releases (drillRules.ts) as a recording runner expects
 * them, for in-process tests of a whole run.
 */
export const helmScope = ['--namespace', NS, '--kube-context', CTX];
export const kubectlScope = ['--namespace', NS, '--context', CTX];
export const RELEASES = ['videokit-api', 'videokit-worker'] as const;

export const reads = (): Expectation[] =>
  RELEASES.flatMap((release) => [
    { args: ['history', release, ...helmScope, '--output', 'json', '--max', '256'], result: { stdout: historyJson(release, DRILL_HISTORY[release] ?? []) } },
    { args: ['get', 'deployments,statefulsets,daemonsets', ...kubectlScope, '--selector', `app.kubernetes.io/instance=${release}`, '--output', 'json'], result: { stdout: deploymentsJson([release]) } },
  ]);
/** The reads that record where releases stand after a stage: the same two per release. */
export const statesOf = (...releases: string[]): Expectation[] => releases.flatMap((release) => reads().filter((e) => e.args.includes(release) || e.args.includes(`app.kubernetes.io/instance=${release}`)));
export const rollback = (release: string, revision: number, result?: Expectation['result']): Expectation => ({
  args: ['rollback', release, String(revision), ...helmScope, '--wait', '--timeout', '<duration>'],
  result: { stdout: 'Rollback was a success! Happy Helming!\n', ...result },
});
export const status = (release: string, result?: Expectation['result']): Expectation => ({
  args: ['rollout', 'status', `deployment/${release}`, ...kubectlScope, '--timeout', '<duration>'],
  result: { stdout: `deployment "${release}" successfully rolled out\n`, ...result },
});
export const pods = (release: string): Expectation => ({
  args: ['get', 'pods', ...kubectlScope, '--selector', `app.kubernetes.io/instance=${release}`, '--output', 'wide', '--request-timeout', '<duration>'],
  result: { stdout: POD_LISTING(release) },
});
/** Just before each rollback's write, helm's newest revision is read again and must still be the planned current one. */
export const compare = (release: string): Expectation => ({
  args: ['history', release, ...helmScope, '--output', 'json', '--max', '1'],
  result: { stdout: historyJson(release, (DRILL_HISTORY[release] ?? []).slice(-1)) },
});
/** The release's lock around a rollback: taken before the compare, released after the waits (after a failure too). */
export const lock = (release: string): Expectation => ({
  args: [
    'create', 'configmap', `videokit-rollback-lock.${release}`, ...kubectlScope, '--from-literal', `release=${release}`,
    '--from-literal', 'holder=<any>', '--from-literal', `pid=${process.pid}`, '--from-literal', 'run=<any>',
    '--from-literal', 'since=<any>', '--from-literal', 'deadline=<any>', '--request-timeout', '30s',
  ],
  result: { stdout: `configmap/videokit-rollback-lock.${release} created\n` },
});
export const unlock = (release: string): Expectation => ({
  args: ['delete', 'configmap', `videokit-rollback-lock.${release}`, ...kubectlScope, '--ignore-not-found', '--request-timeout', '30s'],
  result: { stdout: `configmap "videokit-rollback-lock.${release}" deleted\n` },
});
/** The writes of the drill's rollback (its first three words each): each release's rollback inside its lock, in plan order. */
export const DRILL_WRITES = [
  ['create', 'configmap', 'videokit-rollback-lock.videokit-api'],
  ['rollback', 'videokit-api', '41'],
  ['delete', 'configmap', 'videokit-rollback-lock.videokit-api'],
  ['create', 'configmap', 'videokit-rollback-lock.videokit-worker'],
  ['rollback', 'videokit-worker', '17'],
  ['delete', 'configmap', 'videokit-rollback-lock.videokit-worker'],
];

/** A rollback stage's steps for one release; a roll forward has no lock and no compare. */
export const verified = (release: string, revision: number) => [lock(release), compare(release), rollback(release, revision), status(release), pods(release), unlock(release)];
export const forwarded = (release: string, revision: number) => [rollback(release, revision), status(release), pods(release)];

/** A clock that moves only when told: every command takes a second of it. */
export function fakeClock(): Clock & { advance(ms: number): void } {
  let ms = 0;
  return { monotonicMs: () => ms, now: () => new Date(Date.UTC(2026, 10, 26, 9, 0, 0) + ms), advance: (by) => void (ms += by) };
}

/** The identity reads that open every record: answered, and not asserted on by flow tests (see identity.test.ts). */
export const identityReads = (): Expectation[] => [
  { args: ['version', '--template', '{{.Version}}'], result: { stdout: 'v3.17.3' } },
  { args: ['version', '--client', '--output', 'json'], result: { stdout: '{"clientVersion":{"gitVersion":"v1.31.9"}}' } },
  { args: ['config', 'view', '--minify', '--context', CTX, '--output', 'json'], result: { stdout: '{}' } },
];
