/**
 * `npm run sample-report`: regenerates the sample after-action report that
 * docs/drills-and-reports.md links to. Runs a real drill (dry-run, then --execute --drill)
 * on the local sandbox cluster with the real helm 4.1.4 and kubectl 1.35.2, then renders
 * the drill's transcript with `videokit-rollback report` into
 * docs/sample-drill-report.{md,html}. Nothing in the sample is written by hand.
 */
import { execa } from 'execa';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { FULL_MATRIX as MATRIX, requireBinaries } from '../test/support/binaries.js';
import { startSandbox } from '../test/sandbox/index.js';

const root = resolve(import.meta.dirname, '..');
const pair = MATRIX[1]!;
const bin = resolve(root, 'bin/videokit-rollback.js');
requireBinaries([pair]);

const dir = resolve(root, '.sandbox/sample-report');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const sandbox = await startSandbox({ scenario: resolve(root, 'test/sandbox/scenarios/drill.json'), dir });
const env = {
  PATH: [dirname(pair.helm), dirname(pair.kubectl), '/usr/bin', '/bin'].join(':'),
  ...sandbox.env,
  TARGET_ENV: 'prod-eu-west-1',
  USER: 'operator',
};
const run = (args: string[]) => execa(process.execPath, [bin, ...args], { cwd: dir, env, extendEnv: false, reject: false, stdin: 'ignore' });
try {
  const base = ['--release', 'videokit-api', '--release', 'videokit-worker', '--namespace', 'videokit', '--context', sandbox.context];
  const dry = await run([...base, '--dry-run', '--drill', '--timeout', '5m', '--transcript', 'drill.jsonl']);
  if (dry.exitCode !== 0) throw new Error(`dry-run exited ${dry.exitCode}: ${dry.stderr}`);
  const drill = await run([...base, '--execute', '--yes', '--drill', '--timeout', '5m', '--transcript', 'drill.jsonl']);
  if (drill.exitCode !== 0) throw new Error(`drill exited ${drill.exitCode}: ${drill.stderr}`);
} finally {
  await sandbox.stop();
}

mkdirSync(join(root, 'docs'), { recursive: true });
for (const format of ['md', 'html']) {
  const out = join(root, 'docs', `sample-drill-report.${format}`);
  const result = await run(['report', 'drill.jsonl', '--format', format, '--output', out]);
  if (result.exitCode !== 0) throw new Error(`report exited ${result.exitCode}: ${result.stderr}`);
  process.stdout.write(`${out}\n`);
}
