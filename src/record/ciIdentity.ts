import { delimiter, resolve } from 'node:path';

import type { CiIdentity } from '../domain/identity.js';

export type { CiIdentity };

const value = (env: NodeJS.ProcessEnv, name: string): string | null => {
  const found = env[name];
  return found === undefined || found === '' ? null : found;
};

/**
 * The CI run this process belongs to, from the variables GitHub Actions and GitLab CI
 * set on every job (both document them as always present). Read, never trusted for
 * anything but the record: a local shell could set them too, which the record shows
 * next to the OS user and host.
 */
export function ciIdentity(env: NodeJS.ProcessEnv): CiIdentity | null {
  if (env.GITHUB_ACTIONS === 'true') {
    const server = value(env, 'GITHUB_SERVER_URL');
    const repository = value(env, 'GITHUB_REPOSITORY');
    const runId = value(env, 'GITHUB_RUN_ID');
    const runAttempt = value(env, 'GITHUB_RUN_ATTEMPT');
    return {
      provider: 'github',
      // The triggering actor is who re-ran a job; the actor who first started it.
      actor: value(env, 'GITHUB_TRIGGERING_ACTOR') ?? value(env, 'GITHUB_ACTOR'),
      repository,
      workflow: value(env, 'GITHUB_WORKFLOW_REF') ?? value(env, 'GITHUB_WORKFLOW'),
      job: value(env, 'GITHUB_JOB'),
      runId,
      runAttempt,
      ref: value(env, 'GITHUB_REF'),
      sha: value(env, 'GITHUB_SHA'),
      url:
        server === null || repository === null || runId === null
          ? null
          : `${server}/${repository}/actions/runs/${runId}${runAttempt === null ? '' : `/attempts/${runAttempt}`}`,
    };
  }
  if (env.GITLAB_CI === 'true') {
    return {
      provider: 'gitlab',
      actor: value(env, 'GITLAB_USER_LOGIN'),
      repository: value(env, 'CI_PROJECT_PATH'),
      workflow: value(env, 'CI_PIPELINE_SOURCE'),
      job: value(env, 'CI_JOB_NAME'),
      runId: value(env, 'CI_PIPELINE_ID'),
      // GitLab runs a retried job as a new job: its id is the attempt.
      runAttempt: value(env, 'CI_JOB_ID'),
      ref: value(env, 'CI_COMMIT_REF_NAME'),
      sha: value(env, 'CI_COMMIT_SHA'),
      url: value(env, 'CI_JOB_URL'),
    };
  }
  return null;
}

/**
 * The kubeconfig files kubectl and helm read: $KUBECONFIG's list (empty entries
 * skipped, relative ones against the working directory), else ~/.kube/config.
 */
export function kubeconfigPaths(env: NodeJS.ProcessEnv, cwd: string): string[] {
  const listed = (env.KUBECONFIG ?? '').split(delimiter).filter((path) => path !== '');
  if (listed.length > 0) return listed.map((path) => resolve(cwd, path));
  return env.HOME === undefined || env.HOME === '' ? [] : [resolve(env.HOME, '.kube', 'config')];
}
