import { stderr, stdin, stdout } from 'node:process';
import { systemClock } from '../run/budget.js';
import { guardOutput } from '../run/closedPipe.js';
import { createExecaRunner } from '../run/execaRunner.js';
import { askConfirmation } from './confirm.js';
import { exitProcess, setExitCode } from './exit.js';
import { findExecutable } from './findExecutable.js';
import { runCli } from './runCli.js';
import { TOOL } from '../version.js';

/** Wires the real process into runCli. */
export async function main(): Promise<void> {
  const code = await runCli({
    argv: process.argv.slice(2),
    env: process.env,
    cwd: process.cwd(),
    stdout: guardOutput(stdout),
    stderr: guardOutput(stderr),
    stdinIsTTY: stdin.isTTY === true,
    runner: createExecaRunner(process.env),
    clock: systemClock,
    tool: TOOL,
    findExecutable,
    confirm: (question, signal) => askConfirmation(question, stdin, stderr, signal),
    exitNow: (code) => exitProcess(code),
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
  });
  setExitCode(code);
}
