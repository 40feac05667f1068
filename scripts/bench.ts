// `npm run bench [-- --quick]`: the speed goals (README, Speed), measured side by side
// against a reference on this machine, printed as one table (ratios, not absolute
// times: machines are noisy). Not part of `npm test`. Runs the built CLI
// (bin/videokit-rollback.js -> dist/) against fake helm/kubectl with set latencies.
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { kubectlGetPods } from '../src/tools/kubectl.js';
import { createBenchFakes, NO_LATENCY, writeReferenceScript, type FakeCluster } from './bench/fakes.js';
import { interleavedMedians, peakRssMb, timeOnce, type Command } from './bench/measure.js';
import { measureOverhead } from './bench/overhead.js';
import { measureIdentity } from './bench/identity.js';
import { writeFileSync } from 'node:fs';

const quick = process.argv.includes('--quick');
const BIN = resolve(import.meta.dirname, '../bin/videokit-rollback.js');
const NODE = process.execPath;
const SCOPE = { namespace: 'videokit', context: 'bench-ctx' };
const releasesNamed = (count: number) => Array.from({ length: count }, (_, i) => `release-${String(i + 1).padStart(2, '0')}`);

interface Row {
  scenario: string;
  reference: string;
  tool: string;
  ratio: string;
  goal: string;
  verdict: 'pass' | 'FAIL' | 'info';
}
const rows: Row[] = [];
const ms = (value: number) => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 100 ? 1 : 0)} ms`);
const verdict = (ok: boolean | undefined): Row['verdict'] => (ok === undefined ? 'info' : ok ? 'pass' : 'FAIL');
function ratioRow(scenario: string, refLabel: string, reference: number, tool: number, goal: number | undefined): void {
  const ratio = tool / reference;
  rows.push({
    scenario,
    reference: `${refLabel}${ms(reference)}`,
    tool: ms(tool),
    ratio: `${ratio.toFixed(2)}×`,
    goal: goal === undefined ? '—' : `≤ ${goal}×`,
    verdict: verdict(goal === undefined ? undefined : ratio <= goal),
  });
  process.stderr.write(`  ${scenario}: ${ms(reference)} vs ${ms(tool)} (${ratio.toFixed(2)}×)\n`);
}

/** The CLI against the fakes of `cluster`. */
function cli(cluster: FakeCluster, mode: string[], extra: string[] = [], transcript = 'transcript.log'): Command & { fakes: ReturnType<typeof createBenchFakes> } {
  const fakes = createBenchFakes(cluster);
  const args = [
    BIN,
    ...cluster.releases.flatMap((r) => ['--release', r]),
    '--namespace', SCOPE.namespace, '--context', SCOPE.context,
    '--helm', fakes.helm, '--kubectl', fakes.kubectl,
    '--transcript', join(fakes.dir, transcript),
    ...mode, ...extra,
  ];
  return { file: NODE, args, options: { cwd: fakes.dir }, fakes };
}

const machine = `node ${process.version}, ${cpus().length} CPUs, load average at start ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;
process.stderr.write(`videokit-rollback benchmark${quick ? ' (--quick)' : ''}: ${machine}\n`);

// 1. Start-up: a bare --version / --help against Node doing nothing.
{
  const runs = quick ? 10 : 30;
  const [node, version, help] = interleavedMedians(
    [{ file: NODE, args: ['-e', '0'] }, { file: NODE, args: [BIN, '--version'] }, { file: NODE, args: [BIN, '--help'] }],
    runs,
  ) as [number, number, number];
  ratioRow(`start-up: \`--version\` vs \`node -e 0\` (median of ${runs})`, '', node, version, 1.3);
  ratioRow(`start-up: \`--help\` vs \`node -e 0\` (median of ${runs})`, '', node, help, 1.3);
}

// 2. Planning reads: 20 releases vs 1, helm history and kubectl get deployments,statefulsets,daemonsets answering in 300 ms.
{
  const runs = quick ? 3 : 5;
  const latencies = { ...NO_LATENCY, history: 0.3, getDeployments: 0.3 };
  const one = cli({ releases: releasesNamed(1), deploymentsPerRelease: 3, latencies }, ['--dry-run']);
  const twenty = (concurrency: number) =>
    cli({ releases: releasesNamed(20), deploymentsPerRelease: 3, latencies }, ['--dry-run'], ['--concurrency', String(concurrency)]);
  const [single, wide, byDefault] = interleavedMedians([one, twenty(20), twenty(8)], runs) as [number, number, number];
  ratioRow(`plan 20 releases vs 1, reads 300 ms, \`--concurrency 20\` (median of ${runs})`, '1 release: ', single, wide, 1.5);
  ratioRow(`plan 20 releases vs 1, reads 300 ms, default \`--concurrency 8\` (median of ${runs})`, '1 release: ', single, byDefault, undefined);
}

// 3. Execute: 10 releases × 3 Deployments, helm rollback 2 s, each rollout 3 s, against the shell script's flow.
{
  const scale = quick ? 0.1 : 1;
  const latencies = { ...NO_LATENCY, rollback: 2 * scale, rolloutStatus: 3 * scale };
  const cluster: FakeCluster = { releases: releasesNamed(10), deploymentsPerRelease: 3, latencies };
  const label = `rollback ${+(2 * scale).toFixed(3)} s, rollout ${+(3 * scale).toFixed(3)} s`;
  const fakes = createBenchFakes(cluster);
  const reference = timeOnce({ file: '/bin/sh', args: [writeReferenceScript(fakes, cluster.releases, SCOPE)] });
  process.stderr.write(`  reference shell flow: ${ms(reference)}\n`);
  const parallel = timeOnce(cli(cluster, ['--execute', '--yes'], ['--parallel', '10']));
  ratioRow(`execute 10 releases × 3 Deployments (${label}): \`--parallel 10\` vs the shell script's sequential flow`, 'shell: ', reference, parallel, 0.2);
  if (!quick) {
    const sequential = timeOnce(cli(cluster, ['--execute', '--yes']));
    ratioRow(`execute, same, default \`--parallel 1\` (waits of a release together) vs the shell script's flow`, 'shell: ', reference, sequential, undefined);
  }
}

// 3b. Compare before write: the one `helm history --max 1` read before each `helm rollback`,
// and the release lock around it (`kubectl create configmap` before, `kubectl delete configmap`
// after), timed from the run's own command records (10 releases, each answering in 300 ms).
{
  const latencies = { ...NO_LATENCY, history: 0.3, lock: 0.3 };
  const run = cli({ releases: releasesNamed(10), deploymentsPerRelease: 1, latencies }, ['--execute', '--yes'], ['--output', 'json']);
  const started = performance.now();
  const out = spawnSync(run.file, run.args, { ...run.options, encoding: 'utf8' });
  const totalMs = performance.now() - started;
  const doc = JSON.parse(out.stdout) as { commands: { argv: string[]; result: { durationMs: number } }[] };
  const reads = doc.commands.filter((c) => c.argv[1] === 'history' && c.argv.at(-1) === '1' && c.argv.at(-2) === '--max');
  const readMs = reads.reduce((sum, c) => sum + c.result.durationMs, 0);
  rows.push({
    scenario: `compare before write: ${reads.length} reads (one per release) in an execute of 10 releases, \`helm history\` answering in 300 ms, \`--parallel 1\``,
    reference: `whole run: ${ms(totalMs)}`,
    tool: `${ms(readMs)} (${ms(reads.length === 0 ? 0 : readMs / reads.length)} per release)`,
    ratio: `${((readMs / totalMs) * 100).toFixed(0)} % of the run`,
    goal: '—',
    verdict: 'info',
  });
  process.stderr.write(`  compare before write: ${reads.length} reads, ${ms(readMs)} of ${ms(totalMs)}\n`);
  const locks = doc.commands.filter((c) => c.argv[2] === 'configmap' && (c.argv[1] === 'create' || c.argv[1] === 'delete'));
  const lockMs = locks.reduce((sum, c) => sum + c.result.durationMs, 0);
  rows.push({
    scenario: `release lock: ${locks.length} commands (\`kubectl create configmap\` and \`delete configmap\` per release) in the same run, each answering in 300 ms`,
    reference: `whole run: ${ms(totalMs)}`,
    tool: `${ms(lockMs)} (${ms(locks.length === 0 ? 0 : (2 * lockMs) / locks.length)} per release)`,
    ratio: `${((lockMs / totalMs) * 100).toFixed(0)} % of the run`,
    goal: '—',
    verdict: 'info',
  });
  process.stderr.write(`  release lock: ${locks.length} commands, ${ms(lockMs)} of ${ms(totalMs)}\n`);
}

// 4. Cost per command: the gate (execa, transcript, progress) vs a bare spawn of the same binary.
{
  const runs = quick ? 15 : 40;
  const fakes = createBenchFakes({ releases: ['bench'], deploymentsPerRelease: 1, latencies: NO_LATENCY, pods: 1000 });
  const spec = kubectlGetPods(fakes.kubectl, SCOPE, 'bench', 600_000);
  const { bareMs, toolMs } = await measureOverhead(spec, runs);
  const over = toolMs - bareMs;
  rows.push({
    scenario: `per-command overhead: \`kubectl get pods\` fake printing 1,000 Pods (median of ${runs})`,
    reference: `bare spawn: ${ms(bareMs)}`,
    tool: ms(toolMs),
    ratio: `+${over.toFixed(1)} ms`,
    goal: '≤ +15 ms',
    verdict: verdict(over <= 15),
  });
  process.stderr.write(`  per-command: bare ${ms(bareMs)}, through the gate ${ms(toolMs)}\n`);
}

// 4b. What every run's record costs up front: run-start's identity (the helm and kubectl
// versions, the context's kubeconfig entries, the sha256 of both binaries), real binaries.
{
  const runs = quick ? 5 : 15;
  const fakes = createBenchFakes({ releases: ['bench'], deploymentsPerRelease: 1, latencies: NO_LATENCY });
  const kubeconfig = join(fakes.dir, 'kubeconfig');
  writeFileSync(kubeconfig, 'apiVersion: v1\nkind: Config\nclusters:\n- name: bench\n  cluster:\n    server: https://bench.example:6443\nusers:\n- name: bench-admin\n  user: {}\ncontexts:\n- name: bench-ctx\n  context:\n    cluster: bench\n    user: bench-admin\ncurrent-context: bench-ctx\n');
  const cost = await measureIdentity(runs, kubeconfig);
  if (cost === undefined) process.stderr.write('  run-start identity: skipped (npm run tools has not fetched the real binaries)\n');
  else {
    rows.push({
      scenario: `run-start identity: \`helm version\`, \`kubectl version --client\`, \`kubectl config view --minify\` through the gate and sha256 of both binaries, real helm v3.17.3 / kubectl v1.31.9 (median of ${runs})`,
      reference: `one bare \`helm version\`: ${ms(cost.bareMs)}`,
      tool: ms(cost.identityMs),
      ratio: `+${(cost.identityMs - cost.bareMs).toFixed(0)} ms`,
      goal: '—',
      verdict: 'info',
    });
    process.stderr.write(`  run-start identity: ${ms(cost.identityMs)} (one bare helm version: ${ms(cost.bareMs)})\n`);
  }
}

// 5. Peak memory: a release with 1,000 Pods and large rollout output, JSON output (which keeps the most).
// 8 MB per rollout is ~80,000 progress lines, far beyond what kubectl prints for 1,000 replicas;
// the stress row (full run only) shows the peak no longer grows with the output. Peak memory
// varies from run to run with the garbage collector's timing: the row reports the worst of
// three runs with each name of the transcript (`x.log` and `x.jsonl`: both write the record
// and render its text log at the end).
{
  const node = peakRssMb(['-e', '0']);
  const memoryRow = (rolloutMb: number, goal: boolean) => {
    const cluster: FakeCluster = { releases: ['big'], deploymentsPerRelease: 3, latencies: NO_LATENCY, pods: 1000, rolloutOutputBytes: rolloutMb * 1024 * 1024 };
    // Each run its own record, as the default path (timestamped) gives every operator run:
    // the text log at the end renders the whole record, every run appended to it.
    const samples = ['log', 'jsonl'].flatMap((extension) =>
      [1, 2, 3].map((n) => {
        const run = cli(cluster, ['--execute', '--yes'], ['--output', 'json'], `transcript-${n}.${extension}`);
        return peakRssMb(run.args, run.options);
      }),
    );
    const tool = Math.max(...samples);
    rows.push({
      scenario: `peak memory: 1 release, 1,000 Pods, 3 Deployments each printing ${rolloutMb} MB of rollout output, \`--output json\`, worst of 3 runs × \`--transcript x.log\` and \`x.jsonl\`${goal ? '' : ' (stress)'}`,
      reference: `\`node -e 0\`: ${node.toFixed(0)} MB`,
      tool: `${tool.toFixed(0)} MB`,
      ratio: `${(tool / node).toFixed(2)}×`,
      goal: goal ? '< 100 MB' : '—',
      verdict: verdict(goal ? tool < 100 : undefined),
    });
    process.stderr.write(`  peak memory, ${rolloutMb} MB per rollout: ${samples.map((mb) => mb.toFixed(1)).join(', ')} MB (x.log ×3, x.jsonl ×3)\n`);
  };
  memoryRow(8, true);
  if (!quick) memoryRow(64, false);
}

const header: Row = { scenario: 'scenario', reference: 'reference', tool: 'videokit-rollback', ratio: 'ratio', goal: 'goal', verdict: 'pass' };
const line = (r: Row, v = r.verdict as string) => `| ${r.scenario} | ${r.reference} | ${r.tool} | ${r.ratio} | ${r.goal} | ${v} |`;
process.stdout.write(`npm run bench${quick ? ' -- --quick' : ''}: ${machine}\n\n`);
process.stdout.write(`${[line(header, 'pass/fail'), '|---|---|---|---|---|---|', ...rows.map((r) => line(r))].join('\n')}\n`);
process.exitCode = rows.some((r) => r.verdict === 'FAIL') ? 1 : 0;
