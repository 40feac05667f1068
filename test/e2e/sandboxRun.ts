import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startSandbox, type Sandbox } from '../sandbox/index.js';
import { runBuiltCli, type CliRun } from '../support/cli.js';
import type { ToolPair } from '../support/binaries.js';

export const DRILL_SCENARIO = resolve(import.meta.dirname, '../sandbox/scenarios/drill.json');

export interface SandboxCli {
  sandbox: Sandbox;
  cwd: string;
  /** Runs the built CLI with the sandbox's kubeconfig and homes and the pair's real binaries. */
  run(args: string[], env?: Record<string, string>): Promise<CliRun>;
}

/** A fresh sandbox seeded with the drill, and a way to run the CLI against it with real binaries. */
export async function sandboxCli(pair: ToolPair, scenario: string = DRILL_SCENARIO): Promise<SandboxCli> {
  const sandbox = await startSandbox({ scenario });
  const cwd = mkdtempSync(join(tmpdir(), 'vkr-e2e-'));
  return {
    sandbox,
    cwd,
    run: (args, env = {}) => runBuiltCli([...args, '--helm', pair.helm, '--kubectl', pair.kubectl], { cwd, env: { ...sandbox.env, ...env } }),
  };
}
