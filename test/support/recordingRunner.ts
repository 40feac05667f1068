import type { CommandSpec } from '../../src/commands/spec.js';
import type { CommandResult, CommandRunner, RunOptions } from '../../src/run/runner.js';

export interface Expectation {
  /** Exact argv after the binary; `<duration>` matches any Go duration (the time left varies). */
  args: string[];
  result?: Partial<CommandResult>;
}

export interface RecordingRunner extends CommandRunner {
  readonly calls: { spec: CommandSpec; options: RunOptions }[];
  /** Expectations not yet consumed. */
  remaining(): Expectation[];
}

const GO_DURATION = /^(\d+h)?(\d+m)?\d+s$/;

function sameArgs(expected: string[], actual: readonly string[]): boolean {
  return (
    expected.length === actual.length &&
    expected.every((word, i) => (word === '<duration>' ? GO_DURATION.test(actual[i] ?? '') : word === actual[i]))
  );
}

/**
 * A CommandRunner that answers only the commands a test expects, in any order,
 * each once, and throws on anything else, so an unexpected command fails the test.
 */
export function recordingRunner(expectations: Expectation[]): RecordingRunner {
  const pending = [...expectations];
  const calls: RecordingRunner['calls'] = [];
  return {
    calls,
    remaining: () => [...pending],
    async run(spec, options) {
      calls.push({ spec, options });
      const index = pending.findIndex((e) => sameArgs(e.args, spec.args));
      if (index === -1) throw new Error(`unexpected command: ${spec.file} ${JSON.stringify(spec.args)}`);
      const [expectation] = pending.splice(index, 1);
      return { exitCode: 0, signal: null, stdout: '', stderr: '', durationMs: 1, timedOut: false, ...expectation?.result };
    },
  };
}
