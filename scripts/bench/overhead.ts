import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CommandSpec } from '../../src/domain/commandSpec.js';
import { fanOut } from '../../src/views/runEvents.js';
import { createProgress } from '../../src/views/progress.js';
import { makeChalk } from '../../src/views/style.js';
import { openTranscript } from '../../src/views/transcript.js';
import { startBudget, systemClock } from '../../src/process/budget.js';
import { createExecaRunner } from '../../src/process/execaRunner.js';
import { createCommandGate } from '../../src/process/gate.js';
import { median } from './measure.js';

/** Spawns the binary as plainly as Node can, capturing both streams: the floor. */
function bareSpawn(file: string, args: readonly string[]): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(file, [...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolvePromise() : reject(new Error(`${file} exited ${code}`))));
  });
}

export interface Overhead {
  readonly bareMs: number;
  readonly toolMs: number;
}

/**
 * The tool's cost per external command: the same command run through the real
 * gate (execa runner, transcript file written and fsync'd, progress lines) and
 * spawned bare, taking turns, `runs` times each; medians.
 */
export async function measureOverhead(spec: CommandSpec, runs: number): Promise<Overhead> {
  const transcript = openTranscript(join(mkdtempSync(join(tmpdir(), 'vkr-overhead-')), 'transcript.log'));
  const progress = createProgress(() => undefined, makeChalk(false), undefined);
  const gate = createCommandGate({
    mode: 'execute',
    runner: createExecaRunner(process.env),
    transcript: fanOut(transcript, progress),
    clock: systemClock,
    budget: startBudget(600_000, systemClock),
    observer: {
      started: () => undefined,
      finished: () => undefined,
      recorded: (record, spec) => progress.emit({ type: 'command-record', record, purpose: spec.purpose }),
    },
  });
  const bare: number[] = [];
  const tool: number[] = [];
  const time = async (samples: number[], run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  };
  await gate.run(spec, { phase: 'verify', release: 'bench' }); // warm up: first execa call loads its modules
  await bareSpawn(spec.file, spec.args);
  for (let i = 0; i < runs; i++) {
    await time(bare, () => bareSpawn(spec.file, spec.args));
    await time(tool, async () => {
      const result = await gate.run(spec, { phase: 'verify', release: 'bench' });
      if (result.exitCode !== 0) throw new Error(`${spec.file} exited ${result.exitCode}: ${result.stderr}`);
    });
  }
  transcript.close();
  return { bareMs: median(bare), toolMs: median(tool) };
}
