import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export interface Command {
  readonly file: string;
  readonly args: readonly string[];
  readonly options?: SpawnSyncOptions;
}

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

/** Wall time of one run, in ms; a non-zero exit is an error (a benchmark of a failure means nothing). */
export function timeOnce(command: Command): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command.file, [...command.args], { stdio: ['ignore', 'ignore', 'pipe'], ...command.options });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) {
    throw new Error(`${command.file} ${command.args.join(' ')} exited ${result.status ?? result.signal}: ${String(result.stderr).trim().slice(0, 500)}`);
  }
  return ms;
}

/**
 * Median wall time of each command over `runs` rounds, the commands taking turns
 * within each round so that a machine's slow moments hit them all alike.
 */
export function interleavedMedians(commands: readonly Command[], runs: number): number[] {
  const samples = commands.map(() => [] as number[]);
  commands.forEach((command) => timeOnce(command)); // warm the file cache
  for (let round = 0; round < runs; round++) {
    commands.forEach((command, i) => samples[i]?.push(timeOnce(command)));
  }
  return samples.map(median);
}

const PEAK_RSS_PRELOAD = resolve(import.meta.dirname, 'peak-rss.mjs');

/** Peak resident memory of a Node program, in MB, read by a preload at exit. */
export function peakRssMb(nodeArgs: readonly string[], options: SpawnSyncOptions = {}): number {
  const file = join(mkdtempSync(join(tmpdir(), 'vkr-rss-')), 'rss');
  const env = { ...(options.env ?? process.env), VKR_BENCH_RSS_FILE: file };
  const result = spawnSync(process.execPath, ['--import', PEAK_RSS_PRELOAD, ...nodeArgs], {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...options,
    env,
  });
  if (result.status !== 0) throw new Error(`node ${nodeArgs.join(' ')} exited ${result.status ?? result.signal}: ${String(result.stderr).trim().slice(0, 500)}`);
  return Number(readFileSync(file, 'utf8')) / 1024;
}
