import { stderr, stdin, stdout } from 'node:process';
import { systemClock } from '../process/budget.js';
import { guardOutput } from '../process/closedPipe.js';
import { createExecaRunner } from '../process/execaRunner.js';
import { askConfirmation } from './confirm.js';
import { exitProcess, setExitCode } from './exit.js';
import { findExecutable } from './findExecutable.js';
import { runCli, type CliDeps, type OutStream } from './runCli.js';
import { TOOL } from '../version.js';

/**
 * The real process as runCli's dependencies. The GitHub Action runs the CLI in its own
 * process through this too, with its own argv, stdout and exit.
 */
export function processDeps(options: {
  readonly argv: readonly string[];
  readonly stdout: OutStream;
  readonly exitNow: (code: number) => void;
}): CliDeps {
  return {
    argv: options.argv,
    env: process.env,
    cwd: process.cwd(),
    stdout: options.stdout,
    stderr: guardOutput(stderr),
    stdinIsTTY: stdin.isTTY === true,
    runner: createExecaRunner(process.env, process.cwd()),
    clock: systemClock,
    tool: TOOL,
    findExecutable,
    confirm: (question, signal) => askConfirmation(question, stdin, stderr, signal),
    exitNow: options.exitNow,
    onSignal: (handler) => {
      const onInt = () => handler('SIGINT');
      const onTerm = () => handler('SIGTERM');
      process.on('SIGINT', onInt);
      process.on('SIGTERM', onTerm);
      return () => {
        process.off('SIGINT', onInt);
        process.off('SIGTERM', onTerm);
      };
    },
    // ora is only needed on a terminal: loading it lazily keeps CI and --help start-up fast.
    // A pseudo-terminal with no width (script(1), some CI runners) makes ora count
    // infinitely many lines to clear, so those get plain progress lines instead.
    createSpinner: async () =>
      (stderr.columns ?? 0) > 0 ? (await import('ora')).default({ stream: stderr, discardStdin: false }) : undefined,
  };
}

/** Wires the real process into runCli. */
export async function main(): Promise<void> {
  const code = await runCli(
    processDeps({
      argv: process.argv.slice(2),
      stdout: guardOutput(stdout),
      exitNow: (code) => exitProcess(code),
    }),
  );
  setExitCode(code);
}
