import { execa } from 'execa';
import { resolve } from 'node:path';
import { startSandbox, type Sandbox, type Scenario } from '../sandbox/index.js';
import type { ToolPair } from './binaries.js';
import { BIN } from './cli.js';
import { runInProcess } from './inProcessCli.js';

export const SCENARIOS = resolve(import.meta.dirname, '../sandbox/scenarios');

/**
 * Added to the environment of every real helm and kubectl the tests start: one Go
 * scheduler thread. Each is a process of a fraction of a second, and on a 2-core machine
 * running four test files at once Go's thread per core only adds contention (about 9% less
 * CPU per end-to-end file here). What helm and kubectl do does not depend on it.
 */
export const GO_CLIENT_ENV: Readonly<Record<string, string>> = { GOMAXPROCS: '1' };
export const scenario = (name: string) => resolve(SCENARIOS, `${name}.json`);

export interface SandboxCliRun {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  durationMs: number;
}

/**
 * Starts the built CLI against a sandbox with a pair of real binaries, without waiting
 * (tests that signal or kill it mid-run). The environment holds only the sandbox's
 * kubeconfig and homes: the user's own are never read.
 */
export function startAgainst(sandbox: Sandbox, pair: ToolPair, args: string[], env: Record<string, string> = {}) {
  return execa(process.execPath, [BIN, ...args], {
    reject: false,
    stdin: 'ignore',
    cwd: sandbox.dir,
    extendEnv: false,
    env: { PATH: '/usr/bin:/bin', ...sandbox.env, ...GO_CLIENT_ENV, HELM_BIN: pair.helm, KUBECTL_BIN: pair.kubectl, ...env },
    timeout: 120_000,
  });
}

/**
 * Runs the built CLI against a sandbox (see startAgainst) to its end, in a process of its
 * own: for what only a process shows (two runs racing, each with its own pid).
 */
export async function runBuiltAgainst(sandbox: Sandbox, pair: ToolPair, args: string[], env: Record<string, string> = {}): Promise<SandboxCliRun> {
  const started = performance.now();
  const result = await startAgainst(sandbox, pair, args, env);
  return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr, durationMs: performance.now() - started };
}

/**
 * Runs the CLI in this process against a sandbox, with the same environment, directory
 * and real runner as startAgainst's subprocess: the real helm and kubectl still run, one
 * process each. What the CLI's own process does (signals, exit, closed pipes, the built
 * bundle) is proven by the tests that start it with startAgainst.
 */
export async function runAgainst(sandbox: Sandbox, pair: ToolPair, args: string[], env: Record<string, string> = {}): Promise<SandboxCliRun> {
  const started = performance.now();
  const run = await runInProcess(args, {
    cwd: sandbox.dir,
    env: { PATH: '/usr/bin:/bin', ...sandbox.env, ...GO_CLIENT_ENV, HELM_BIN: pair.helm, KUBECTL_BIN: pair.kubectl, ...env },
  });
  // As execa gives a subprocess's output: without its final newline.
  const strip = (text: string) => text.replace(/\r?\n$/, '');
  return { exitCode: run.exitCode, stdout: strip(run.stdout), stderr: strip(run.stderr), durationMs: performance.now() - started };
}

export async function withSandbox<T>(name: string, fn: (sandbox: Sandbox) => Promise<T>): Promise<T> {
  const sandbox = await startSandbox({ scenario: scenario(name) });
  try {
    return await fn(sandbox);
  } finally {
    await sandbox.stop();
  }
}

/** helm history read back with the real helm, as an operator would check it. */
export async function helmHistoryOf(sandbox: Sandbox, pair: ToolPair, release: string) {
  const result = await execa(pair.helm, ['history', release, '--namespace', sandbox.namespace, '--kube-context', sandbox.context, '-o', 'json'], {
    env: { PATH: '/usr/bin:/bin', ...sandbox.env, ...GO_CLIENT_ENV },
    extendEnv: false,
  });
  return JSON.parse(result.stdout) as { revision: number; status: string; description: string }[];
}

/**
 * helm has written to the cluster: a request that stores a release revision (a Secret).
 * The tool's own release lock (a ConfigMap) is written before it and does not count.
 */
export const helmWrote = (sandbox: Sandbox): boolean => sandbox.mutatingRequests().some((r) => r.path.includes('/secrets'));

type ScenarioRevision = NonNullable<Scenario['releases']>[number]['revisions'][number];

/**
 * videokit-api alone, with 41 superseded under 42 deployed, as its chart and image
 * would say; `content` adds to each revision what a test feeds through the real helm
 * (a hostile chart version, Secrets in the manifest).
 */
export function apiOnlyScenario(content: (revision: 41 | 42) => Partial<ScenarioRevision> = () => ({})): Scenario {
  const revision = (number: 41 | 42, status: 'superseded' | 'deployed'): ScenarioRevision => ({
    revision: number,
    status,
    chart: { name: 'videokit-api', version: `0.${number}.0` },
    appVersion: `1.${number}.0`,
    imageTag: `1.${number}.0`,
    description: 'Upgrade complete',
    ...content(number),
  });
  return {
    context: 'prod-eu-west-1-admin',
    namespaces: ['videokit'],
    podReadyDelayMs: 100,
    releases: [{ name: 'videokit-api', replicas: 1, revisions: [revision(41, 'superseded'), revision(42, 'deployed')] }],
  };
}
