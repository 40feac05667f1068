/**
 * `npm run demo`: the drill, end to end, on a local sandbox cluster driven by the real
 * helm and kubectl. Starts the sandbox seeded like the drill, shows the state, runs the
 * dry-run and then the execute with TARGET_ENV=prod-eu-west-1, shows the state again,
 * verifies the record the execute left under reports/deploy/ (with its text log beside
 * it), renders its after-action report there, and stops the sandbox.
 * It never reads or changes your kubeconfig or helm settings: every child gets the
 * sandbox's own KUBECONFIG, HOME and helm homes, and nothing else from your environment.
 *   npm run demo                 helm 4.1.4 + kubectl 1.35.2
 *   npm run demo -- --helm3      helm 3.17.3 + kubectl 1.31.9
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { FULL_MATRIX as MATRIX, requireBinaries } from '../test/support/binaries.js';
import { startSandbox, type Sandbox } from '../test/sandbox/index.js';

const root = resolve(import.meta.dirname, '..');
const pair = process.argv.includes('--helm3') ? MATRIX[0]! : MATRIX[1]!;
const RELEASES = ['videokit-api', 'videokit-worker'];
const heading = (text: string) => process.stdout.write(`\n=== ${text} ===\n\n`);

async function showState(sandbox: Sandbox): Promise<void> {
  for (const release of RELEASES) {
    const history = await execa(pair.helm, ['history', release, '--namespace', sandbox.namespace, '--kube-context', sandbox.context, '--max', '3'], {
      env: { PATH: '/usr/bin:/bin', ...sandbox.env },
      extendEnv: false,
    });
    process.stdout.write(`${release} (helm history --max 3):\n${history.stdout}\n`);
    const images = [...new Set(sandbox.pods(release).filter((p) => p.ready).map((p) => p.image))];
    process.stdout.write(`  ready pods run: ${images.join(', ') || 'none'}\n\n`);
  }
}

async function runCli(sandbox: Sandbox, args: string[]): Promise<number> {
  process.stdout.write(`$ TARGET_ENV=prod-eu-west-1 videokit-rollback ${args.join(' ')}\n\n`);
  const result = await execa(process.execPath, [resolve(root, 'bin/videokit-rollback.js'), ...args], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
    reject: false,
    extendEnv: false,
    // The pair's folders first on PATH, so the commands read `helm ...` / `kubectl ...` as an operator types them.
    env: { PATH: [dirname(pair.helm), dirname(pair.kubectl), '/usr/bin', '/bin'].join(':'), ...sandbox.env, TARGET_ENV: 'prod-eu-west-1' },
  });
  process.stdout.write(`\n(exit code ${result.exitCode})\n`);
  return result.exitCode ?? 1;
}

/** The record an --execute started at or after `since` wrote under reports/deploy/, relative to the repository. */
function newestRecord(since: number): string | undefined {
  const directory = resolve(root, 'reports/deploy');
  if (!existsSync(directory)) return undefined;
  const records = readdirSync(directory)
    .filter((name) => name.endsWith('.jsonl'))
    .map((name) => ({ name, mtime: statSync(join(directory, name)).mtimeMs }))
    .filter((r) => r.mtime >= since - 1000)
    .sort((a, b) => b.mtime - a.mtime);
  return records[0] === undefined ? undefined : relative(root, join(directory, records[0].name));
}

requireBinaries([pair]);
const dir = resolve(root, '.sandbox/demo');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const sandbox = await startSandbox({ scenario: resolve(root, 'test/sandbox/scenarios/drill.json'), dir });
let exitCode = 1;
try {
  process.stdout.write(`Sandbox cluster at ${sandbox.url}, context ${sandbox.context}, with ${pair.name}.\n`);
  heading('Before');
  await showState(sandbox);
  const base = ['--release', 'videokit-api', '--release', 'videokit-worker', '--namespace', 'videokit', '--context', sandbox.context];
  heading('1. Dry-run: reads only, prints the plan and the exact write commands');
  exitCode = await runCli(sandbox, [...base, '--dry-run']);
  const afterDryRun = sandbox.mutatingRequests().length;
  process.stdout.write(`Mutating requests the sandbox received during the dry-run: ${afterDryRun}\n`);
  if (exitCode === 0) {
    heading('2. Execute (the operator reviewed the plan; --yes stands in for typing "yes")');
    const executedAt = Date.now();
    exitCode = await runCli(sandbox, [...base, '--execute', '--timeout', '10m', '--yes']);
    const record = newestRecord(executedAt);
    if (record !== undefined) {
      heading('3. Audit: verify the record the execute kept, then render its after-action report');
      await runCli(sandbox, ['verify', record]);
      await runCli(sandbox, ['report', record, '--output', record.replace(/\.jsonl$/, '.md')]);
    }
  }
  heading('After');
  await showState(sandbox);
  process.stdout.write(`Mutating requests the sandbox received during the execute: ${sandbox.mutatingRequests().length - afterDryRun}\n`);
} finally {
  await sandbox.stop();
}
process.exitCode = exitCode;
