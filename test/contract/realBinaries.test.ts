import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../src/domain/commandSpec.js';
import { helmGetManifest, helmHistory, helmListReleaseNames, helmRollback, helmVersion } from '../../src/tools/helm.js';
import { kubectlConfigView, kubectlGetPods, kubectlGetWorkloads, kubectlRolloutStatus, kubectlVersionClient, kubectlWaitPodsReady } from '../../src/tools/kubectl.js';
import { parseClusterServer, parseHelmVersion, parseKubectlVersion } from '../../src/plan/parseToolOutput.js';
import { checkWaitStrategy } from '../../src/plan/helmVersion.js';
import { HELM3, HELM4 } from '../support/binaries.js';
import { hasPair, MATRIX, requireBinaries } from '../support/binaries.js';

/**
 * Contract: every command the tool builds is accepted by the real helm 3.17 / 4.1 and
 * kubectl 1.31 / 1.35. Pointed at a cluster that cannot be reached, a well-formed
 * command fails for the cluster; a bad flag or argument would fail before that.
 */
const CONTEXT = 'prod-eu-west-1-admin';
const target = { context: CONTEXT, namespace: 'videokit' };
const BAD_ARGUMENTS = /unknown (flag|shorthand flag|command)|invalid argument|accepts|requires|flag needs an argument|Usage:/i;
const UNREACHABLE = /connect(ion)? refused|unreachable|dial tcp|connect: /i;

function isolatedEnv(): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'vkr-contract-'));
  const kubeconfig = join(dir, 'kubeconfig');
  // Port 1 on loopback: nothing listens there, so every request is refused at once.
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      `current-context: ${CONTEXT}`,
      'clusters:',
      '- name: unreachable',
      '  cluster: { server: "http://127.0.0.1:1" }',
      'users:',
      '- name: nobody',
      '  user: {}',
      'contexts:',
      `- name: ${CONTEXT}`,
      '  context: { cluster: unreachable, user: nobody, namespace: default }',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return {
    PATH: '/usr/bin:/bin',
    HOME: dir,
    KUBECONFIG: kubeconfig,
    HELM_CACHE_HOME: join(dir, 'helm-cache'),
    HELM_CONFIG_HOME: join(dir, 'helm-config'),
    HELM_DATA_HOME: join(dir, 'helm-data'),
  };
}

function commandsFor(helm: string, kubectl: string): CommandSpec[] {
  return [
    helmRollback(helm, target, 'videokit-api', 41, 5_000),
    helmHistory(helm, target, 'videokit-api'),
    helmListReleaseNames(helm, target, 1_000),
    kubectlGetWorkloads(kubectl, target, 'videokit-api'),
    kubectlRolloutStatus(kubectl, target, { kind: 'StatefulSet', name: 'videokit-api' }, 5_000),
    kubectlWaitPodsReady(kubectl, target, { kind: 'StatefulSet', name: 'videokit-api' }, 'app.kubernetes.io/instance=videokit-api', 5_000),
    kubectlGetPods(kubectl, target, 'videokit-api', 5_000),
    helmGetManifest(helm, target, 'videokit-api', 41),
  ];
}

describe.each(MATRIX)('real binaries accept every command we build ($name)', (pair) => {
  beforeAll(() => requireBinaries([pair]));

  it.each(commandsFor(pair.helm, pair.kubectl).map((spec) => [spec.args.slice(0, 2).join(' '), spec] as const))(
    '%s fails for the cluster, not for its arguments',
    async (_label, spec) => {
      const result = await execa(spec.file, [...spec.args], { reject: false, env: isolatedEnv(), extendEnv: false, timeout: 20_000, stdin: "ignore" });
      const output = `${result.stdout}\n${result.stderr}`;
      expect(result.exitCode, output).not.toBe(0);
      expect(output).not.toMatch(BAD_ARGUMENTS);
      expect(output).toMatch(UNREACHABLE);
    },
  );

  it('still rejects what we must never send: --atomic on rollback, kubectl\'s --context on helm', async () => {
    const env = isolatedEnv();
    const atomic = await execa(pair.helm, ['rollback', 'videokit-api', '41', '--atomic'], { reject: false, env, extendEnv: false });
    expect(atomic.stderr).toMatch(/unknown flag: --atomic/);
    const wrongContext = await execa(pair.helm, ['history', 'videokit-api', '--context', CONTEXT], { reject: false, env, extendEnv: false });
    expect(wrongContext.stderr).toMatch(/unknown flag: --context/);
  });
});

describe.skipIf(!hasPair('helm3-kubectl131') || !hasPair('helm4-kubectl135'))("helm 4's wait strategies (--wait-strategy)", () => {
  beforeAll(() => requireBinaries());

  it.each(['watcher', 'legacy'] as const)('helm 4 accepts rollback --wait=%s and fails only for the cluster', async (strategy) => {
    const spec = helmRollback(HELM4, target, 'videokit-api', 41, 5_000, strategy);
    expect(spec.args).toContain(`--wait=${strategy}`);
    const result = await execa(spec.file, [...spec.args], { reject: false, env: isolatedEnv(), extendEnv: false, timeout: 20_000, stdin: 'ignore' });
    const output = `${result.stdout}\n${result.stderr}`;
    expect(result.exitCode, output).not.toBe(0);
    expect(output).not.toMatch(BAD_ARGUMENTS);
    expect(output).toMatch(UNREACHABLE);
  });

  it('helm 3 rejects those spellings, so the tool refuses --wait-strategy once it has read helm 3\'s version', async () => {
    const rejected = await execa(HELM3, ['rollback', 'videokit-api', '41', '--wait=legacy'], { reject: false, env: isolatedEnv(), extendEnv: false });
    expect(rejected.stderr).toMatch(/invalid argument "legacy" for "--wait"/);
    const version = await execa(HELM3, [...helmVersion(HELM3).args], { env: isolatedEnv(), extendEnv: false });
    const parsed = parseHelmVersion(version.stdout);
    expect(parsed).toMatchObject({ ok: true, value: { major: 3 } });
    if (!parsed.ok) return;
    expect(() => checkWaitStrategy('legacy', parsed.value)).toThrow(/needs helm 4/);
    const helm4 = parseHelmVersion((await execa(HELM4, [...helmVersion(HELM4).args], { env: isolatedEnv(), extendEnv: false })).stdout);
    expect(helm4).toMatchObject({ ok: true, value: { major: 4 } });
  });
});

describe.each(MATRIX)('the local reads of approved plans parse the real output ($name)', (pair) => {
  beforeAll(() => requireBinaries([pair]));

  it('helm version --short, kubectl version --client -o json, kubectl config view --minify -o json', async () => {
    const env = isolatedEnv();
    const helm = await execa(pair.helm, [...helmVersion(pair.helm).args], { env, extendEnv: false });
    expect(parseHelmVersion(helm.stdout).ok).toBe(true);
    const kubectl = await execa(pair.kubectl, [...kubectlVersionClient(pair.kubectl).args], { env, extendEnv: false });
    expect(parseKubectlVersion(kubectl.stdout)).toMatchObject({ ok: true, value: expect.stringMatching(/^v1\.3[15]\./) });
    const view = await execa(pair.kubectl, [...kubectlConfigView(pair.kubectl, CONTEXT).args], { env, extendEnv: false });
    expect(parseClusterServer(view.stdout)).toEqual({ ok: true, value: 'http://127.0.0.1:1' });
  });
});
