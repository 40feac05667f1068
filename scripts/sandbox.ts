/**
 * The playground: the sandbox API seeded like the drill, with the pinned helm and kubectl,
 * to try commands by hand. `npm run sandbox` builds, installs the binaries, then runs this:
 *
 *   npm run sandbox                      # runs until Ctrl-C, prints the lines to paste
 *   eval "$(npm run -s sandbox -- --env)"  # starts it in the background, sets up this shell
 *   npm run sandbox -- --helm3           # helm 3.17.3 + kubectl 1.31.9 instead of 4.1.4 + 1.35.2
 *   npm run sandbox -- --seed test/sandbox/scenarios/pending-rollback.json
 *
 * With --env the sandbox must outlive the command substitution (which waits for stdout to
 * close), so it runs detached, in a session of its own, until `kill $VKR_SANDBOX_PID`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { quoteArg } from '../src/domain/shellQuote.js';
import { startSandbox } from '../test/sandbox/index.js';
import { FULL_MATRIX, requireBinaries } from '../test/support/binaries.js';

const ROOT = resolve(import.meta.dirname, '..');
const DRILL_SCENARIO = join(ROOT, 'test/sandbox/scenarios/drill.json');
/** What the drill's TARGET_ENV is to its context: the context names a prod-eu-west-1 cluster. */
const TARGET_ENV = 'prod-eu-west-1';

interface Options {
  readonly seed: string;
  readonly helm3: boolean;
  readonly env: boolean;
  readonly serve: string | undefined;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string' },
      helm3: { type: 'boolean' },
      env: { type: 'boolean' },
      // Internal: the detached server of --env, in this directory.
      serve: { type: 'string' },
    },
    strict: true,
  });
  const seed = resolve(values.seed ?? DRILL_SCENARIO);
  if (!existsSync(seed)) throw new Error(`--seed: ${seed} does not exist (scenarios: test/sandbox/scenarios/*.json)`);
  return { seed, helm3: values.helm3 === true, env: values.env === true, serve: values.serve };
}

interface Served {
  readonly context: string;
  readonly namespace: string;
  readonly url: string;
  readonly env: Record<string, string>;
}

/** Starts the sandbox in `dir` and links the CLI, helm and kubectl into `dir/bin`. */
async function serve(options: Options, dir: string): Promise<Served & { stop: () => Promise<void> }> {
  const pair = FULL_MATRIX[options.helm3 ? 0 : 1]!;
  requireBinaries([pair]);
  const sandbox = await startSandbox({ scenario: options.seed, dir });
  const bin = join(dir, 'bin');
  mkdirSync(bin, { recursive: true });
  symlinkSync(pair.helm, join(bin, 'helm'));
  symlinkSync(pair.kubectl, join(bin, 'kubectl'));
  symlinkSync(join(ROOT, 'bin/videokit-rollback.js'), join(bin, 'videokit-rollback'));
  // Not the sandbox's HOME: this shell keeps the user's. helm has its own homes, and
  // kubectl's discovery cache (under $HOME/.kube/cache otherwise) goes to KUBECACHEDIR.
  const { HOME, ...clientEnv } = sandbox.env;
  const env = {
    ...clientEnv,
    KUBECACHEDIR: join(HOME ?? dir, '.kube', 'cache'),
    KUBE_CONTEXT: sandbox.context,
    TARGET_ENV,
  };
  return { context: sandbox.context, namespace: sandbox.namespace, url: sandbox.url, env, stop: () => sandbox.stop() };
}

/** The shell lines that point helm, kubectl and videokit-rollback at the sandbox. */
export function exportLines(served: Served, dir: string, pid: number): string {
  const assignments = Object.entries(served.env).map(([name, value]) => `${name}=${quoteArg(value)}`);
  return [
    `export ${assignments.join(' ')}`,
    `export PATH=${quoteArg(join(dir, 'bin'))}:"$PATH" VKR_SANDBOX_PID=${pid}`,
    '',
  ].join('\n');
}

function tryLines(served: Served): string {
  return [
    `  helm history videokit-api --kube-context ${served.context} --namespace ${served.namespace}`,
    `  kubectl get pods --context ${served.context} --namespace ${served.namespace}`,
    `  videokit-rollback --release videokit-api --release videokit-worker --namespace ${served.namespace} --dry-run`,
  ].join('\n');
}

/** `npm run sandbox`: in the foreground until Ctrl-C. */
async function foreground(options: Options): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vkr-playground-'));
  const served = await serve(options, dir);
  process.stdout.write(
    `sandbox: ${served.url}, context ${served.context}, namespace ${served.namespace}, seeded from ${options.seed}\n\n` +
      `Paste into another shell:\n\n${exportLines(served, dir, process.pid)}\nThen try:\n${tryLines(served)}\n\nCtrl-C stops the sandbox and removes ${dir}.\n`,
  );
  await untilSignal();
  await served.stop();
  rmSync(dir, { recursive: true, force: true });
}

/** `--env`: starts the detached server, waits until it serves, prints the export lines. */
async function background(options: Options): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vkr-playground-'));
  const log = openSync(join(dir, 'sandbox.log'), 'a');
  const args = [...process.execArgv, import.meta.filename, '--serve', dir, '--seed', options.seed, ...(options.helm3 ? ['--helm3'] : [])];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', log] });
  const out = child.stdout;
  if (out === null) throw new Error('the sandbox started without a stdout');
  let ready = '';
  for await (const chunk of out) {
    ready += String(chunk);
    if (ready.includes('\n')) break;
  }
  out.destroy();
  child.unref();
  if (!ready.includes('\n')) throw new Error(`the sandbox did not start; see ${join(dir, 'sandbox.log')}`);
  process.stdout.write(exportLines(JSON.parse(ready) as Served, dir, child.pid ?? 0));
  process.stderr.write(`sandbox: running as pid ${child.pid} (log ${join(dir, 'sandbox.log')}); stop it with kill $VKR_SANDBOX_PID\n`);
}

/** The detached server of --env: says it serves on stdout, then runs until SIGTERM/SIGINT. */
async function detachedServer(options: Options, dir: string): Promise<void> {
  const served = await serve(options, dir);
  process.stdout.write(`${JSON.stringify({ context: served.context, namespace: served.namespace, url: served.url, env: served.env })}\n`);
  await untilSignal();
  await served.stop();
  rmSync(dir, { recursive: true, force: true });
}

function untilSignal(): Promise<void> {
  return new Promise((done) => {
    process.once('SIGINT', () => done());
    process.once('SIGTERM', () => done());
  });
}

async function main(): Promise<void> {
  const options = readOptions();
  if (options.serve !== undefined) await detachedServer(options, options.serve);
  else if (options.env) await background(options);
  else await foreground(options);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
