import { appendFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { CommandSpec } from '../../src/domain/commandSpec.js';
import { createExecaRunner } from '../../src/process/execaRunner.js';
import type { CommandResult, CommandRunner, RunOptions } from '../../src/process/runner.js';
import type { FakeCall, FakeRule, FakeTools } from './fakeTools.js';
import { identityAnswer } from './fakeTools.js';
import { matches, startsWith } from '../fakes/rules.mjs';

const AWAIT_LIMIT_MS = 10_000;

/**
 * How a fake answers, in this process: the rules of test/fakes/fake-tool.mjs, matched by the
 * same test/fakes/rules.mjs
 * (first match answers, `after`, `awaitCalls`, `delayMs`, `hang`, exit 97 on an
 * unexpected command), logged to the same call log, so fake.calls() reads the same.
 * Only the Node start-up per call is gone.
 */
export function fakeToolsRunner(fake: FakeTools): CommandRunner {
  const real = createExecaRunner({ PATH: '/usr/bin:/bin' });
  let pid = 1_000_000;
  const log = () => fake.allCalls();
  return {
    async run(spec: CommandSpec, options: RunOptions): Promise<CommandResult> {
      const tool = basename(spec.file);
      if (spec.tool === 'ssh-keygen' || (tool !== 'helm' && tool !== 'kubectl')) return real.run(spec, options);
      const argv = [...spec.args];
      const earlier = log();
      appendFileSync(fake.env.FAKE_LOG as string, `${JSON.stringify({ tool, argv, pid: pid++, time: Date.now() })}\n`);
      const started = performance.now();
      const answer = await answerFor(fake.rules(), tool, argv, earlier, options, log);
      const result = { signal: null, timedOut: false, ...answer, durationMs: Math.round(performance.now() - started) };
      if (result.stdout !== '') options.onOutput?.('stdout', result.stdout);
      if (result.stderr !== '') options.onOutput?.('stderr', result.stderr);
      return result;
    },
  };
}

type Answer = Pick<CommandResult, 'exitCode' | 'stdout' | 'stderr'> & Partial<Pick<CommandResult, 'signal' | 'timedOut'>>;

async function answerFor(
  rules: readonly FakeRule[],
  tool: 'helm' | 'kubectl',
  argv: string[],
  earlier: FakeCall[],
  options: RunOptions,
  log: () => FakeCall[],
): Promise<Answer> {
  const identity = identityAnswer(tool, argv, rules);
  if (identity !== undefined) return { exitCode: 0, stdout: identity, stderr: '' };
  const rule = rules.find((r) => matches(r, tool, argv, earlier));
  if (rule === undefined) {
    return { exitCode: 97, stdout: '', stderr: `fake ${tool}: unexpected command: ${JSON.stringify(argv)}\n` };
  }
  if (rule.awaitCalls !== undefined) {
    const wanted = rule.awaitCalls;
    const seen = () => wanted.every((w) => log().some((call) => call.tool === w.tool && startsWith(call.argv, w.prefix)));
    const ok = await until(seen, AWAIT_LIMIT_MS, options.signal);
    if (!ok) return { exitCode: 98, stdout: '', stderr: `fake ${tool}: never saw ${JSON.stringify(wanted)} while answering ${JSON.stringify(argv)}\n` };
  }
  const waitMs = rule.hang === true ? Infinity : (rule.delayMs ?? 0);
  const ended = await pause(waitMs, options);
  if (ended !== undefined) return ended;
  return { exitCode: rule.exitCode ?? 0, stdout: rule.stdout ?? '', stderr: rule.stderr ?? '' };
}

/** Polls `condition` (the call log is shared with concurrent calls) until it holds, the limit passes or the run aborts. */
async function until(condition: () => boolean, limitMs: number, signal: AbortSignal | undefined): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  while (!condition()) {
    if (Date.now() > deadline || signal?.aborted === true) return false;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return true;
}

/**
 * Waits `ms` like a process that takes that long, ended early as the real runner ends
 * a child: by its watchdog (timedOut, SIGKILL, as for a process that ignores SIGTERM)
 * or by the run's abort signal (SIGTERM).
 */
function pause(ms: number, options: RunOptions): Promise<Answer | undefined> {
  if (ms === 0) return Promise.resolve(undefined);
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    const finish = (answer: Answer | undefined) => {
      timers.forEach(clearTimeout);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(answer);
    };
    const onAbort = () => finish({ exitCode: null, signal: 'SIGTERM', stdout: '', stderr: '' });
    if (Number.isFinite(ms)) timers.push(setTimeout(() => finish(undefined), ms));
    // setTimeout fires at once past 2^31-1 ms: a longer watchdog is no watchdog here.
    if (options.watchdogMs < 2 ** 31 - 1) {
      timers.push(setTimeout(() => finish({ exitCode: null, signal: 'SIGKILL', stdout: '', stderr: '', timedOut: true }), options.watchdogMs));
    }
    if (options.signal?.aborted === true) onAbort();
    else options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}
