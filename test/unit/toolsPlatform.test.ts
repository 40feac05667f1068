import { chmodSync, mkdtempSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { decideTools, MATRIX } from '../../scripts/toolsPlatform.mjs';
import { FULL_MATRIX, realBinaries } from '../support/binaries.js';

const TOOLS_SCRIPT = resolve(import.meta.dirname, '../../scripts/tools.mjs');

/** A fake helm and kubectl printing these versions the way the real ones do. */
function fakeBinaries(helm: string, kubectl: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vkr-fakebin-'));
  writeFileSync(join(dir, 'helm'), `#!/bin/sh\n[ "$1 $2" = "version --short" ] && echo "v${helm}+g0123abc" && exit 0\nexit 1\n`);
  writeFileSync(
    join(dir, 'kubectl'),
    `#!/bin/sh\n[ "$1" = "version" ] && echo '{"clientVersion":{"gitVersion":"v${kubectl}"}}' && exit 0\nexit 1\n`,
  );
  chmodSync(join(dir, 'helm'), 0o755);
  chmodSync(join(dir, 'kubectl'), 0o755);
  return dir;
}

describe('which real binaries the tests get (decideTools)', () => {
  it('linux x64 installs the pinned pairs whatever is on PATH', () => {
    const decision = decideTools({ platform: 'linux', arch: 'x64', onPath: { helm: { file: '/usr/bin/helm', version: '3.19.0' } } });
    expect(decision).toEqual({ source: 'pinned', pairs: MATRIX.map((row) => ({ ...row })), skipped: undefined });
  });

  it('darwin arm64 uses a PATH pair whose versions are a matrix row, and names the row it skips', () => {
    const decision = decideTools({
      platform: 'darwin',
      arch: 'arm64',
      onPath: { helm: { file: '/opt/homebrew/bin/helm', version: '4.1.4' }, kubectl: { file: '/opt/homebrew/bin/kubectl', version: '1.35.2' } },
    });
    expect(decision.source).toBe('path');
    expect(decision.pairs).toEqual([
      { name: 'helm4-kubectl135', helm: '4.1.4', kubectl: '1.35.2', helmFile: '/opt/homebrew/bin/helm', kubectlFile: '/opt/homebrew/bin/kubectl' },
    ]);
    expect(decision.skipped).toBe(
      'real-binary tests of helm3-kubectl131 skipped: the pinned helm/kubectl are linux x64 and this is darwin arm64; ' +
        'on PATH: helm 4.1.4, kubectl 1.35.2; to run them, put helm 3.17.3 + kubectl 1.31.9 on PATH ' +
        '(from https://get.helm.sh/helm-v3.17.3-darwin-arm64.tar.gz and https://dl.k8s.io/release/v1.31.9/bin/darwin/arm64/kubectl) and run npm run tools',
    );
  });

  it('skips every real-binary test when the versions match no row, or a tool is missing', () => {
    for (const onPath of [
      { helm: { file: '/usr/local/bin/helm', version: '4.1.4' }, kubectl: { file: '/usr/local/bin/kubectl', version: '1.31.9' } },
      { helm: { file: '/usr/local/bin/helm', version: '3.17.3' } },
      {},
    ]) {
      const decision = decideTools({ platform: 'linux', arch: 'arm64', onPath });
      expect(decision.source).toBe('none');
      expect(decision.pairs).toEqual([]);
      expect(decision.skipped).toMatch(/^real-binary tests skipped: the pinned helm\/kubectl are linux x64 and this is linux arm64; on PATH: helm /);
      expect(decision.skipped).toContain('https://dl.k8s.io/release/v1.31.9/bin/linux/arm64/kubectl');
      expect(decision.skipped).not.toContain('\n');
    }
  });
});

describe('scripts/tools.mjs on a simulated darwin arm64 with fake binaries on PATH', () => {
  async function runTools(path: string) {
    const toolsDir = mkdtempSync(join(tmpdir(), 'vkr-tools-'));
    const result = await execa(process.execPath, [TOOLS_SCRIPT], {
      env: { PATH: `${path}:/usr/bin:/bin`, VKR_TOOLS_DIR: toolsDir, VKR_TOOLS_PLATFORM: 'darwin-arm64' },
      extendEnv: false,
      reject: false,
    });
    return { result, toolsDir };
  }

  it('links a matching pair where the tests look for it, downloads nothing, and the tests run that pair only', async () => {
    const bin = fakeBinaries('3.17.3', '1.31.9');
    const { result, toolsDir } = await runTools(bin);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.split('\n')).toEqual([
      `tools: helm 3.17.3 ${join(toolsDir, 'helm-v3.17.3/helm')} -> ${join(bin, 'helm')} (from PATH)`,
      `tools: kubectl 1.31.9 ${join(toolsDir, 'kubectl-v1.31.9/kubectl')} -> ${join(bin, 'kubectl')} (from PATH)`,
      expect.stringMatching(/^tools: real-binary tests of helm4-kubectl135 skipped: .*this is darwin arm64.* put helm 4\.1\.4 \+ kubectl 1\.35\.2 on PATH/),
    ]);
    expect(readlinkSync(join(toolsDir, 'helm-v3.17.3/helm'))).toBe(join(bin, 'helm'));
    const seen = realBinaries('darwin', 'arm64', toolsDir);
    expect(seen.pairs.map((pair) => pair.name)).toEqual(['helm3-kubectl131']);
    expect(seen.skipped).toBe(result.stdout.split('\n')[2]?.replace(/^tools: /, ''));
  });

  it('with no matching pair, says in one line why and how, exits 0, and the tests get no pair', async () => {
    const { result, toolsDir } = await runTools(fakeBinaries('3.19.0', '1.33.1'));
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^tools: real-binary tests skipped: .* on PATH: helm 3\.19\.0, kubectl 1\.33\.1; to run them, put helm 3\.17\.3 \+ kubectl 1\.31\.9 or helm 4\.1\.4 \+ kubectl 1\.35\.2 on PATH .*npm run tools$/);
    expect(JSON.parse(readFileSync(join(toolsDir, 'path-tools.json'), 'utf8'))).toMatchObject({ platform: 'darwin', arch: 'arm64', source: 'none', pairs: [] });
    expect(realBinaries('darwin', 'arm64', toolsDir)).toEqual({ pairs: [], skipped: result.stdout.trim().replace(/^tools: /, '') });
  });

  it('before tools.mjs has run, a platform without pinned binaries gets no pair and the reason', () => {
    const empty = mkdtempSync(join(tmpdir(), 'vkr-tools-'));
    expect(realBinaries('darwin', 'x64', empty)).toEqual({ pairs: [], skipped: expect.stringMatching(/this is darwin x64; run npm run tools/) });
    expect(realBinaries('linux', 'x64', empty)).toEqual({ pairs: FULL_MATRIX, skipped: undefined });
  });
});
