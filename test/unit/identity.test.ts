import { appendFileSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { noTranscript } from '../../src/views/transcript.js';
import { ciIdentity, kubeconfigPaths } from '../../src/record/ciIdentity.js';
import { cachedSha256 } from '../../src/record/hashCache.js';
import { fileSha256, parseHelmVersionTemplate, parseKubeconfigView, readToolIdentity } from '../../src/app/identity.js';
import { startBudget, systemClock } from '../../src/process/budget.js';
import { createCommandGate, type CommandRecord } from '../../src/process/gate.js';
import { recordingRunner } from '../support/recordingRunner.js';

const VIEW = JSON.stringify({
  clusters: [{ name: 'prod-eu-west-1', cluster: { server: 'https://api.prod.example:6443', 'certificate-authority-data': 'DATA+OMITTED' } }],
  users: [{ name: 'admin', user: { token: 'REDACTED' } }],
  contexts: [{ name: 'prod-eu-west-1-admin', context: { cluster: 'prod-eu-west-1', user: 'admin' } }],
});

describe('who and where, as run-start records them', () => {
  it('reads the versions and the kubeconfig through the gate, with these exact argv, and hashes the binaries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vkr-identity-'));
    const helm = join(dir, 'helm');
    writeFileSync(helm, 'helm bytes');
    const runner = recordingRunner([
      { args: ['version', '--template', '{{.Version}}'], result: { stdout: 'v4.1.4' } },
      { args: ['version', '--client', '--output', 'json'], result: { exitCode: 1, stderr: 'error: unknown flag: --client\n' } },
      { args: ['config', 'view', '--minify', '--context', 'prod-eu-west-1-admin', '--output', 'json'], result: { stdout: VIEW } },
    ]);
    const records: CommandRecord[] = [];
    const gate = createCommandGate({
      mode: 'dry-run', runner, transcript: noTranscript, clock: systemClock, budget: startBudget(60_000, systemClock),
      observer: { started: () => undefined, finished: () => undefined, recorded: (record) => void records.push(record) },
    });
    const identity = await readToolIdentity({
      gate, helm: { file: 'helm', path: helm }, kubectl: { file: 'kubectl', path: undefined }, context: 'prod-eu-west-1-admin', kubeconfigPaths: ['/k/config'],
    });
    expect(runner.remaining()).toEqual([]);
    expect(runner.calls.every((c) => c.spec.effect === 'read')).toBe(true);
    expect(identity).toEqual({
      helm: { path: helm, version: 'v4.1.4', sha256: await fileSha256(helm), problem: null },
      kubectl: { path: null, version: null, sha256: null, problem: 'kubectl version --client failed (exit 1): error: unknown flag: --client' },
      kubeconfig: { paths: ['/k/config'], context: 'prod-eu-west-1-admin', cluster: 'prod-eu-west-1', server: 'https://api.prod.example:6443', user: 'admin', problem: null },
    });
    // The config view's output (exec plugins' arguments may hold secrets) is withheld from what the gate keeps.
    expect(records.find((r) => r.argv[1] === 'config')?.result.stdout).toMatch(/^\(withheld: \d+ bytes, sha256 [0-9a-f]{64}/);
  });

  it('validates what the binaries print', () => {
    expect(parseHelmVersionTemplate('v3.17.3')).toEqual({ ok: true, value: 'v3.17.3' });
    expect(parseHelmVersionTemplate('<no value>')).toMatchObject({ ok: false });
    expect(parseKubeconfigView(VIEW)).toMatchObject({ ok: true, value: { server: 'https://api.prod.example:6443', user: 'admin' } });
    expect(parseKubeconfigView(JSON.stringify({ clusters: [], contexts: [] }))).toMatchObject({ ok: false, problem: expect.stringContaining('expected array to have exactly 1 items') });
    expect(parseKubeconfigView(VIEW.replace('https://api.prod.example:6443', 'not a url'))).toMatchObject({ ok: false });
  });

  it('names the CI job from GitHub Actions or GitLab CI variables, and nothing outside CI', () => {
    expect(ciIdentity({ GITHUB_ACTOR: 'someone' })).toBeNull();
    expect(
      ciIdentity({
        GITHUB_ACTIONS: 'true', GITHUB_ACTOR: 'alice', GITHUB_TRIGGERING_ACTOR: 'bob', GITHUB_REPOSITORY: 'videokit/infra', GITHUB_WORKFLOW: 'rollback',
        GITHUB_WORKFLOW_REF: 'videokit/infra/.github/workflows/rollback.yml@refs/heads/main', GITHUB_JOB: 'roll', GITHUB_RUN_ID: '123', GITHUB_RUN_ATTEMPT: '2',
        GITHUB_REF: 'refs/heads/main', GITHUB_SHA: 'abc', GITHUB_SERVER_URL: 'https://github.com',
      }),
    ).toEqual({
      provider: 'github', actor: 'bob', repository: 'videokit/infra', workflow: 'videokit/infra/.github/workflows/rollback.yml@refs/heads/main', job: 'roll',
      runId: '123', runAttempt: '2', ref: 'refs/heads/main', sha: 'abc', url: 'https://github.com/videokit/infra/actions/runs/123/attempts/2',
    });
    expect(ciIdentity({ GITLAB_CI: 'true', GITLAB_USER_LOGIN: 'carol', CI_PROJECT_PATH: 'videokit/infra', CI_PIPELINE_ID: '9', CI_JOB_ID: '77', CI_JOB_URL: 'https://gitlab.example/j/77' }))
      .toMatchObject({ provider: 'gitlab', actor: 'carol', runId: '9', runAttempt: '77', url: 'https://gitlab.example/j/77', sha: null });
  });

  it('lists the kubeconfig files kubectl reads', () => {
    expect(kubeconfigPaths({ KUBECONFIG: 'a.yaml::/etc/k.yaml', HOME: '/home/u' }, '/work')).toEqual(['/work/a.yaml', '/etc/k.yaml']);
    expect(kubeconfigPaths({ HOME: '/home/u' }, '/work')).toEqual(['/home/u/.kube/config']);
  });

  it('hashes a binary once per version of the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vkr-hash-'));
    // A cache of its own: the user's is shared with every other run on this machine.
    const cache = mkdtempSync(join(tmpdir(), 'vkr-hash-cache-'));
    const file = join(dir, 'kubectl');
    writeFileSync(file, 'one');
    truncateSync(file, 1024 * 1024); // as large as the smallest file the cache keeps
    let hashed = 0;
    const hash = (path: string) => ((hashed += 1), fileSha256(path));
    const first = await cachedSha256(file, hash, cache);
    expect(await cachedSha256(file, hash, cache)).toBe(first);
    expect(hashed).toBe(1);
    // Small files (wrapper scripts) are hashed each time and push nothing out of the cache.
    for (let i = 0; i < 40; i += 1) writeFileSync(join(dir, `wrapper-${i}`), `#!/bin/sh\nexec kubectl "$@" # ${i}\n`);
    for (let i = 0; i < 40; i += 1) await cachedSha256(join(dir, `wrapper-${i}`), hash, cache);
    expect(hashed).toBe(41);
    expect(await cachedSha256(file, hash, cache)).toBe(first);
    expect(hashed).toBe(41);
    appendFileSync(file, 'two');
    expect(await cachedSha256(file, hash, cache)).not.toBe(first);
    expect(hashed).toBe(42);
  });
});
