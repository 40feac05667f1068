import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBenchFakes, NO_LATENCY } from './bench/fakes.js';
for (const n of [1, 20]) {
const releases = Array.from({ length: n }, (_, i) => `r${i}`);
const f = createBenchFakes({ releases, deploymentsPerRelease: 3, latencies: { ...NO_LATENCY, history: 0.3, getDeployments: 0.3 } });
const t0 = Date.now();
spawnSync(process.execPath, ['bin/videokit-rollback.js', ...releases.flatMap((x) => ['--release', x]), '-n', 'ns', '--context', 'c', '--helm', f.helm, '--kubectl', f.kubectl, '--dry-run', '--concurrency', '20', '--transcript', join(f.dir, 't.jsonl')], { encoding: 'utf8' });
const total = Date.now() - t0;
const ev = readFileSync(join(f.dir, 't.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
const at = (e: { time: string }) => Date.parse(e.time) - t0;
const starts = ev.filter((e) => e.type === 'command-start').map(at);
const ends = ev.filter((e) => e.type === 'command-end').map(at);
const durs = ev.filter((e) => e.type === 'command-end').map((e) => e.durationMs);
console.log(n, 'run-start', at(ev[0]), 'first start', Math.min(...starts), 'last start', Math.max(...starts), 'first end', Math.min(...ends), 'last end', Math.max(...ends), 'plan', at(ev.find((e) => e.type === 'plan')), 'total', total, 'durations', Math.min(...durs), Math.max(...durs));
}
