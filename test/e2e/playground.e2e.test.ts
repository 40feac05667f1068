import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { hasPair } from '../support/binaries.js';
import { isAlive, waitFor } from '../support/cli.js';
import { scenario } from '../support/sandboxRun.js';

const SCRIPT = resolve(import.meta.dirname, '../../scripts/sandbox.ts');
const ROOT = resolve(import.meta.dirname, '../..');
/** As package.json runs it: node itself receives the signals (no tsx wrapper process between). */
const NODE_TSX = [process.execPath, '--import', 'tsx', SCRIPT] as const;
const started: number[] = [];

/** `npm run -s sandbox -- --env ...` without the build and tools steps npm test has already run. */
async function startWithEnv(args: string[]) {
  const result = await execa(NODE_TSX[0], [...NODE_TSX.slice(1), '--env', ...args], { cwd: ROOT, env: { PATH: `${resolve(process.execPath, '..')}:/usr/bin:/bin` }, extendEnv: false, timeout: 60_000 });
  const pid = Number(/VKR_SANDBOX_PID=(\d+)/.exec(result.stdout)?.[1]);
  started.push(pid);
  return { exports: result.stdout, pid };
}

/** A real bash, with a bare environment, that evals the export lines and then runs `script`. */
function inBash(exports: string, script: string) {
  return execa('bash', ['-c', `eval "$VKR_EXPORTS"\n${script}`], {
    env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent', VKR_EXPORTS: exports },
    extendEnv: false,
    reject: false,
  });
}

afterEach(() => {
  for (const pid of started.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGTERM');
});

describe.skipIf(!hasPair('helm4-kubectl135') || !hasPair('helm3-kubectl131'))('the playground (npm run sandbox)', () => {
  it('--env prints lines a shell evals to use helm, kubectl and the CLI against the drill sandbox', async () => {
    const { exports, pid } = await startWithEnv([]);
    expect(exports).toMatch(/^export KUBECONFIG=\S+ HELM_CACHE_HOME=.* KUBE_CONTEXT=prod-eu-west-1-admin TARGET_ENV=prod-eu-west-1\nexport PATH=\S+:"\$PATH" VKR_SANDBOX_PID=\d+$/);
    expect(exports).not.toMatch(/\bHOME=/);
    const history = await inBash(exports, 'helm version --short && helm history videokit-api --kube-context "$KUBE_CONTEXT" --namespace videokit -o json');
    expect(history.stderr).toBe('');
    const [version, json] = history.stdout.split('\n');
    expect(version).toMatch(/^v4\.1\.4\+/);
    expect((JSON.parse(json ?? '') as { revision: number; status: string }[]).map((r) => `${r.revision} ${r.status}`)).toEqual([
      '40 superseded',
      '41 superseded',
      '42 deployed',
    ]);
    const dryRun = await inBash(exports, 'cd "$(mktemp -d)" && videokit-rollback --release videokit-api --namespace videokit --dry-run');
    expect(dryRun.exitCode, dryRun.stderr).toBe(0);
    expect(dryRun.stdout).toContain('helm rollback videokit-api 41 --namespace videokit --kube-context prod-eu-west-1-admin --wait');

    // It runs in the background until killed, then removes its directory.
    const dir = /KUBECONFIG=(\S+)\/kubeconfig/.exec(exports)?.[1] ?? '';
    expect(existsSync(dir)).toBe(true);
    process.kill(pid, 'SIGTERM');
    await waitFor('the sandbox to stop and clean up', () => !isAlive(pid) && !existsSync(dir));
  });

  it('--helm3 picks the other pair; --seed takes a scenario file', async () => {
    const { exports } = await startWithEnv(['--helm3', '--seed', scenario('pending-rollback')]);
    const history = await inBash(exports, 'helm version --short && kubectl version --client -o json && helm history videokit-api --kube-context "$KUBE_CONTEXT" --namespace videokit -o json');
    expect(history.exitCode, history.stderr).toBe(0);
    expect(history.stdout).toMatch(/^v3\.17\.3\+/);
    expect(history.stdout).toContain('"gitVersion": "v1.31.9"');
    expect(history.stdout).toContain('"status":"pending-rollback"');
  });

  it('in the foreground it prints the lines to paste and runs until Ctrl-C', async () => {
    const child = execa(NODE_TSX[0], NODE_TSX.slice(1), { cwd: ROOT, env: { PATH: `${resolve(process.execPath, '..')}:/usr/bin:/bin` }, extendEnv: false, reject: false, timeout: 60_000 });
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => void (out += String(chunk)));
    await waitFor('the lines to paste', () => out.includes('Ctrl-C stops the sandbox'), 30_000);
    expect(out).toMatch(/^sandbox: http:\/\/127\.0\.0\.1:\d+, context prod-eu-west-1-admin, namespace videokit, seeded from .*drill\.json\n/);
    expect(out).toMatch(/\nPaste into another shell:\n\nexport KUBECONFIG=.*\nexport PATH=/);
    const dir = /removes (\S+)\.\n$/.exec(out)?.[1] ?? '';
    expect(existsSync(dir)).toBe(true);
    child.kill('SIGINT');
    const ended = await child;
    expect(ended.exitCode, `signal ${ended.signal}, stderr: ${ended.stderr}`).toBe(0);
    expect(existsSync(dir)).toBe(false);
  });
});
