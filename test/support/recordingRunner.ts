import type { CommandSpec } from '../../src/domain/commandSpec.js';
import type { CommandResult, CommandRunner, RunOptions } from '../../src/process/runner.js';

export interface Expectation {
  /**
   * Exact argv after the binary; `<duration>` matches any Go duration (the time left varies),
   * `key=<any>` any word starting `key=` (a lock's holder, pid, run id and times vary by run).
   */
  args: string[];
  result?: Partial<CommandResult>;
  /**
   * Answer only once commands with these exact argv have started: proves that
   * commands run at the same time without timing anything (run one after another,
   * the test fails with "never started").
   */
  answerAfter?: string[][];
}

export interface RecordingRunner extends CommandRunner {
  readonly calls: { spec: CommandSpec; options: RunOptions }[];
  /** Expectations not yet consumed. */
  remaining(): Expectation[];
  /** The most commands of this effect (or of any) that were running at once. */
  maxInFlight(effect?: CommandSpec['effect']): number;
}

const GO_DURATION = /^(\d+h)?(\d+m)?\d+s$/;

function sameArgs(expected: string[], actual: readonly string[]): boolean {
  return (
    expected.length === actual.length &&
    expected.every((word, i) => (word === '<duration>' ? GO_DURATION.test(actual[i] ?? '') : word.endsWith('=<any>') ? (actual[i] ?? '').startsWith(word.slice(0, -5)) : word === actual[i]))
  );
}

/**
 * A CommandRunner that answers only the commands a test expects, in any order,
 * each once, and throws on anything else, so an unexpected command fails the test.
 */
export function recordingRunner(expectations: Expectation[]): RecordingRunner {
  const pending = [...expectations];
  const calls: RecordingRunner['calls'] = [];
  const running: CommandSpec[] = [];
  const peak = { read: 0, write: 0, all: 0 };
  let notify: (() => boolean)[] = [];
  const started = (args: string[]) => calls.some((c) => sameArgs(args, c.spec.args));
  const startedAll = (wanted: string[][]) =>
    new Promise<void>((resolve, reject) => {
      const check = () => wanted.every(started);
      if (check()) return resolve();
      // Everything else has settled and they still have not started: they never will.
      const giveUp = setTimeout(() => reject(new Error(`never started: ${JSON.stringify(wanted.filter((w) => !started(w)))}`)), 1_000);
      notify.push(() => {
        if (!check()) return false;
        clearTimeout(giveUp);
        resolve();
        return true;
      });
    });

  return {
    calls,
    remaining: () => [...pending],
    maxInFlight: (effect) => peak[effect ?? 'all'],
    async run(spec, options) {
      calls.push({ spec, options });
      running.push(spec);
      peak.all = Math.max(peak.all, running.length);
      peak[spec.effect] = Math.max(peak[spec.effect], running.filter((s) => s.effect === spec.effect).length);
      notify = notify.filter((check) => !check());
      try {
        const index = pending.findIndex((e) => sameArgs(e.args, spec.args));
        if (index === -1) throw new Error(`unexpected command: ${spec.file} ${JSON.stringify(spec.args)}`);
        const [expectation] = pending.splice(index, 1);
        if (expectation?.answerAfter !== undefined) await startedAll(expectation.answerAfter);
        else await Promise.resolve();
        const result = { exitCode: 0, signal: null, stdout: '', stderr: '', durationMs: 1, timedOut: false, ...expectation?.result };
        // Like the real runner, pass the output on as it "arrives".
        if (result.stdout !== '') options.onOutput?.('stdout', result.stdout);
        if (result.stderr !== '') options.onOutput?.('stderr', result.stderr);
        return result;
      } finally {
        running.splice(running.indexOf(spec), 1);
      }
    },
  };
}
