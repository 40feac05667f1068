import { existsSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createExecaRunner } from '../../src/process/execaRunner.js';
import { runBuiltCli } from '../support/cli.js';
import { runFaked, runInProcess } from '../support/inProcessCli.js';
import { CTX, DRILL_ARGS, NS, drillRules } from '../support/drillRules.js';
import { createFakeTools, type FakeRule } from '../support/fakeTools.js';

/**
 * The corpus of hostile and broken inputs: each gets its exit code and the exact
 * error it prints (the `videokit-rollback: error:` line, then any detail and hint
 * lines), and nothing it must not run. Inputs refused before anything runs go
 * through runCli in-process (fast); a sample of them, and every case that needs
 * the fake tools' answers, through the built CLI as a subprocess.
 */
interface Case {
  readonly name: string;
  readonly args: readonly string[];
  readonly exitCode: number;
  readonly error: readonly string[];
  /** Fake answers put before the drill's defaults. */
  readonly rules?: readonly FakeRule[];
  readonly env?: Record<string, string>;
  /** Input errors must not run a single command; tool-output errors must not write. */
  readonly runs: 'nothing' | 'reads only';
}

const SCOPE = ['--namespace', NS, '--context', CTX];
const one = (release: string, ...rest: string[]) => ['--release', release, ...SCOPE, '--dry-run', ...rest];
const E = (message: string) => `videokit-rollback: error: ${message}`;
const USAGE_HINT = '  hint: run videokit-rollback --help for usage';
const INVALID_RELEASE = 'is not a valid Helm release name (lowercase letters, digits, "-" and ".", starting and ending with a letter or digit)';
const INVALID_NS = 'is not a valid namespace name (lowercase letters, digits and "-", starting and ending with a letter or digit)';
const DURATION_USE = 'use Go-style units h, m, s, e.g. 90s, 10m, 1h30m';
const PLAN_REFUSED = E('planning refused the run; nothing was changed');
const HELM_HISTORY = (release: string) => ['history', release];
const GET_DEPLOYMENTS = ['get', 'deployments,statefulsets,daemonsets'];

const inputCases: Case[] = [
  // Release names
  { name: 'release with ; and a command', args: one('x;touch /tmp/pwned'), exitCode: 2, error: [E(`release name "x;touch /tmp/pwned" ${INVALID_RELEASE}`)], runs: 'nothing' },
  { name: 'release with $( )', args: one('$(touch /tmp/pwned)'), exitCode: 2, error: [E(`release name "$(touch /tmp/pwned)" ${INVALID_RELEASE}`)], runs: 'nothing' },
  { name: 'release with backticks', args: one('`id`'), exitCode: 2, error: [E(`release name "\`id\`" ${INVALID_RELEASE}`)], runs: 'nothing' },
  { name: 'release with a pipe', args: one('a|b'), exitCode: 2, error: [E(`release name "a|b" ${INVALID_RELEASE}`)], runs: 'nothing' },
  { name: 'release with a space', args: one('videokit api'), exitCode: 2, error: [E(`release name "videokit api" ${INVALID_RELEASE}`)], runs: 'nothing' },
  { name: 'release in unicode', args: one('vidéokit'), exitCode: 2, error: [E(`release name "vidéokit" ${INVALID_RELEASE}`)], runs: 'nothing' },
  { name: 'release in upper case', args: one('VideoKit-API'), exitCode: 2, error: [E(`release name "VideoKit-API" ${INVALID_RELEASE}`)], runs: 'nothing' },
  { name: 'release of 54 characters', args: one('a'.repeat(54)), exitCode: 2, error: [E(`release name "${'a'.repeat(54)}" is 54 characters long; helm allows at most 53`)], runs: 'nothing' },
  { name: 'empty release', args: one(''), exitCode: 2, error: [E('release name is empty')], runs: 'nothing' },
  { name: 'release with a terminal escape', args: one('a\u001b[2Jb'), exitCode: 2, error: [E(`release name "a\\u001b[2Jb" ${INVALID_RELEASE}`)], runs: 'nothing' },
  { name: 'release with a newline', args: one('a\nb'), exitCode: 2, error: [E(`release name "a\\nb" ${INVALID_RELEASE}`)], runs: 'nothing' },
  { name: 'release flag without a value', args: ['--release', '--dry-run', ...SCOPE], exitCode: 2, error: [E('--release is missing its value: it was followed by the option "--dry-run"')], runs: 'nothing' },
  { name: 'release flag last', args: [...SCOPE, '--dry-run', '--release'], exitCode: 2, error: [E("option '-r, --release <name>' argument missing"), USAGE_HINT], runs: 'nothing' },
  { name: 'no release', args: [...SCOPE, '--dry-run'], exitCode: 2, error: [E('at least one --release is required'), '  hint: pass --release, or list "releases" in the config file'], runs: 'nothing' },
  { name: 'duplicate release', args: [...DRILL_ARGS, '--release', 'videokit-api', '--dry-run'], exitCode: 2, error: [E('--release videokit-api is given twice')], runs: 'nothing' },
  // Namespaces and contexts
  { name: 'namespace with a space', args: ['--release', 'a', '--namespace', 'video kit', '--context', CTX, '--dry-run'], exitCode: 2, error: [E(`namespace "video kit" ${INVALID_NS}`)], runs: 'nothing' },
  { name: 'namespace with metacharacters', args: ['--release', 'a', '--namespace', 'a;rm -rf /', '--context', CTX, '--dry-run'], exitCode: 2, error: [E(`namespace "a;rm -rf /" ${INVALID_NS}`)], runs: 'nothing' },
  { name: 'namespace in upper case', args: ['--release', 'a', '--namespace', 'Videokit', '--context', CTX, '--dry-run'], exitCode: 2, error: [E(`namespace "Videokit" ${INVALID_NS}`)], runs: 'nothing' },
  { name: 'namespace in unicode', args: ['--release', 'a', '--namespace', 'vidéo', '--context', CTX, '--dry-run'], exitCode: 2, error: [E(`namespace "vidéo" ${INVALID_NS}`)], runs: 'nothing' },
  { name: 'namespace of 64 characters', args: ['--release', 'a', '--namespace', 'n'.repeat(64), '--context', CTX, '--dry-run'], exitCode: 2, error: [E(`namespace "${'n'.repeat(64)}" is 64 characters long; at most 63 allowed`)], runs: 'nothing' },
  { name: 'empty namespace', args: ['--release', 'a', '--namespace', '', '--context', CTX, '--dry-run'], exitCode: 2, error: [E('namespace is empty')], runs: 'nothing' },
  { name: 'no namespace', args: ['--release', 'a', '--context', CTX, '--dry-run'], exitCode: 2, error: [E('--namespace is required'), '  hint: pass --namespace, or set "namespace" in the config file'], runs: 'nothing' },
  { name: 'empty context', args: ['--release', 'a', '--namespace', NS, '--context', '', '--dry-run'], exitCode: 2, error: [E('context is empty')], runs: 'nothing' },
  { name: 'context with a space', args: ['--release', 'a', '--namespace', NS, '--context', 'prod admin', '--dry-run'], exitCode: 2, error: [E('context "prod admin" is not a usable kubeconfig context name (no spaces, control characters or leading "-")')], runs: 'nothing' },
  { name: 'context outside TARGET_ENV', args: one('a'), env: { TARGET_ENV: 'staging' }, exitCode: 2, error: [E(`context "${CTX}" does not belong to TARGET_ENV "staging" (it must equal it, or start with it followed by one of - _ . : @ /); refusing`), '  hint: check --context / KUBE_CONTEXT and --target-env / TARGET_ENV'], runs: 'nothing' },
  // --to-revision
  { name: 'pin without =', args: one('videokit-api', '--to-revision', 'videokit-api'), exitCode: 2, error: [E('--to-revision "videokit-api" must look like <release>=<revision>')], runs: 'nothing' },
  { name: 'pin not a number', args: one('videokit-api', '--to-revision', 'videokit-api=abc'), exitCode: 2, error: [E('--to-revision "videokit-api=abc": revision must be a positive whole number')], runs: 'nothing' },
  { name: 'pin zero', args: one('videokit-api', '--to-revision', 'videokit-api=0'), exitCode: 2, error: [E('--to-revision "videokit-api=0": revision must be a positive whole number')], runs: 'nothing' },
  { name: 'pin negative', args: one('videokit-api', '--to-revision', 'videokit-api=-1'), exitCode: 2, error: [E('--to-revision "videokit-api=-1": revision must be a positive whole number')], runs: 'nothing' },
  { name: 'pin fraction', args: one('videokit-api', '--to-revision', 'videokit-api=1.5'), exitCode: 2, error: [E('--to-revision "videokit-api=1.5": revision must be a positive whole number')], runs: 'nothing' },
  { name: 'pin without release', args: one('videokit-api', '--to-revision', '=41'), exitCode: 2, error: [E('--to-revision "=41": release name is empty')], runs: 'nothing' },
  { name: 'pin twice', args: one('videokit-api', '--to-revision', 'videokit-api=41', '--to-revision', 'videokit-api=40'), exitCode: 2, error: [E('--to-revision names videokit-api twice')], runs: 'nothing' },
  { name: 'pin of another release', args: one('videokit-api', '--to-revision', 'videokit-web=3'), exitCode: 2, error: [E('--to-revision names videokit-web, which is not one of the --release values')], runs: 'nothing' },
  // Durations
  { name: 'duration without unit', args: one('a', '--timeout', '10'), exitCode: 2, error: [E(`--timeout: invalid duration "10": it has no unit (did you mean 10s or 10m?); ${DURATION_USE}`)], runs: 'nothing' },
  { name: 'negative duration', args: one('a', '--timeout', '-5m'), exitCode: 2, error: [E(`--timeout: invalid duration "-5m": it must be positive; ${DURATION_USE}`)], runs: 'nothing' },
  { name: 'duration in years', args: one('a', '--timeout', '1y'), exitCode: 2, error: [E(`--timeout: invalid duration "1y": unknown unit "y"; ${DURATION_USE}`)], runs: 'nothing' },
  { name: 'fractional duration', args: one('a', '--timeout', '1.5m'), exitCode: 2, error: [E(`--timeout: invalid duration "1.5m": whole numbers only; ${DURATION_USE}`)], runs: 'nothing' },
  { name: 'empty duration', args: one('a', '--timeout', ''), exitCode: 2, error: [E(`--timeout: invalid duration "": it is empty; ${DURATION_USE}`)], runs: 'nothing' },
  { name: 'zero duration', args: one('a', '--timeout', '0s'), exitCode: 2, error: [E('--timeout: invalid duration "0s": must be greater than zero')], runs: 'nothing' },
  { name: 'duration over a day', args: one('a', '--timeout', '25h'), exitCode: 2, error: [E('--timeout: invalid duration "25h": at most 24h')], runs: 'nothing' },
  // Conflicting, missing and unknown flags
  { name: '--dry-run with --execute', args: [...DRILL_ARGS, '--dry-run', '--execute'], exitCode: 2, error: [E('choose exactly one of --dry-run or --execute')], runs: 'nothing' },
  { name: 'neither --dry-run nor --execute', args: [...DRILL_ARGS], exitCode: 2, error: [E('choose exactly one of --dry-run or --execute')], runs: 'nothing' },
  { name: '--execute without a terminal or --yes', args: [...DRILL_ARGS, '--execute'], exitCode: 2, error: [E('--execute without a terminal needs --yes (there is nobody to confirm the plan)')], runs: 'nothing' },
  { name: '--execute without a context', args: ['--release', 'a', '--namespace', NS, '--execute', '--yes'], exitCode: 2, error: [E('--execute needs an explicit context: pass --context, set KUBE_CONTEXT, or set "context" in the config file')], runs: 'nothing' },
  { name: 'unknown flag', args: [...DRILL_ARGS, '--dry-run', '--bogus'], exitCode: 2, error: [E("unknown option '--bogus'"), USAGE_HINT], runs: 'nothing' },
  { name: "helm's --force (not an option of this tool)", args: [...DRILL_ARGS, '--dry-run', '--force'], exitCode: 2, error: [E("unknown option '--force'"), USAGE_HINT], runs: 'nothing' },
  { name: 'misspelt flag', args: [...DRILL_ARGS, '--dry-run', '--releas', 'b'], exitCode: 2, error: [E("unknown option '--releas' (did you mean --release?)"), USAGE_HINT], runs: 'nothing' },
  { name: 'stray argument', args: [...DRILL_ARGS, '--dry-run', 'videokit-web'], exitCode: 2, error: [E('unexpected argument "videokit-web": releases are given with --release <name>'), USAGE_HINT], runs: 'nothing' },
  { name: 'unknown output format', args: [...DRILL_ARGS, '--dry-run', '--output', 'yaml'], exitCode: 2, error: [E("option '-o, --output <format>' argument 'yaml' is invalid. Allowed choices are text, json."), USAGE_HINT], runs: 'nothing' },
  { name: 'concurrency zero', args: [...DRILL_ARGS, '--dry-run', '--concurrency', '0'], exitCode: 2, error: [E('--concurrency "0" must be a whole number from 1 to 64')], runs: 'nothing' },
  // Missing binaries
  { name: 'missing helm path', args: [...DRILL_ARGS, '--dry-run', '--helm', '/nonexistent/helm'], exitCode: 2, error: [E('--helm: "/nonexistent/helm" was not found or is not executable'), '  hint: install it, put it on PATH, or pass --helm <path>'], runs: 'nothing' },
  { name: 'kubectl not on PATH', args: [...DRILL_ARGS, '--dry-run', '--kubectl', 'kubectl-1.99'], exitCode: 2, error: [E('--kubectl: "kubectl-1.99" was not found on PATH'), '  hint: install it, put it on PATH, or pass --kubectl <path>'], runs: 'nothing' },
  { name: 'HELM_BIN a directory', args: [...DRILL_ARGS, '--dry-run'], env: { HELM_BIN: '/tmp' }, exitCode: 2, error: [E('HELM_BIN: "/tmp" was not found or is not executable'), '  hint: install it, put it on PATH, or pass --helm <path>'], runs: 'nothing' },
  { name: 'KUBECTL_BIN a missing file', args: [...DRILL_ARGS, '--dry-run'], env: { KUBECTL_BIN: '/opt/kubectl-gone' }, exitCode: 2, error: [E('KUBECTL_BIN: "/opt/kubectl-gone" was not found or is not executable'), '  hint: install it, put it on PATH, or pass --kubectl <path>'], runs: 'nothing' },
];

const HTML = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>\n';
const KLOG =
  'E1126 09:16:12.459167   15200 memcache.go:265] "Unhandled Error" err="couldn\'t get current server API group list: Get \\"https://127.0.0.1:6443/api?timeout=32s\\": dial tcp 127.0.0.1:6443: connect: connection refused"\n';
const FORBIDDEN_DEPLOYMENTS =
  'Error from server (Forbidden): deployments.apps is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "deployments" in API group "apps" in the namespace "videokit"';
const FORBIDDEN_SECRETS =
  'Error: query: failed to query with labels: secrets is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "secrets" in API group "" in the namespace "videokit"';
const UNREACHABLE_HINT = '  hint: the API server could not be reached: check the network (VPN, proxy) and the server address in the kubeconfig';
const FORBIDDEN_HINT =
  '  hint: the credentials lack permission: helm history needs to list Secrets and kubectl to list Deployments, StatefulSets and DaemonSets in the namespace (`kubectl auth can-i list secrets -n <ns>`)';
const UNAUTHORIZED_HINT = '  hint: the cluster refused the credentials: log in again or refresh the token, then re-run the dry-run';
const NO_CONTEXT_HINT = `  hint: the kubeconfig has no context "${CTX}": check --context / KUBE_CONTEXT and KUBECONFIG (\`kubectl config get-contexts\` lists them)`;

const both = (rule: Omit<FakeRule, 'prefix'> & { prefix: (release: string) => string[] }): FakeRule[] =>
  ['videokit-api', 'videokit-worker'].map((release) => ({ ...rule, prefix: rule.prefix(release) }));

const toolCases: Case[] = [
  { name: 'helm prints warnings before its JSON', args: [...DRILL_ARGS, '--dry-run'], exitCode: 0, error: [], runs: 'reads only',
    rules: [{ tool: 'helm', prefix: HELM_HISTORY('videokit-api'), stdout: 'WARNING: Kubernetes configuration file is group-readable. This is insecure. Location: /home/ci/.kube/config\n[{"revision":41,"status":"superseded","chart":"videokit-api-0.41.0"},{"revision":42,"status":"deployed","chart":"videokit-api-0.42.0"}]\n' }] },
  { name: 'helm prints truncated JSON', args: [...DRILL_ARGS, '--dry-run'], exitCode: 3, runs: 'reads only',
    rules: [{ tool: 'helm', prefix: HELM_HISTORY('videokit-api'), stdout: '[{"revision":41,"updated":"2026-11-12T09:00:00Z","status":"super' }],
    error: [PLAN_REFUSED, '  videokit-api: helm history: output is not valid JSON (truncated?): [{"revision":41,"updated":"2026-11-12T09:00:00Z","status":"super'] },
  { name: 'a proxy answers with HTML', args: [...DRILL_ARGS, '--dry-run'], exitCode: 3, runs: 'reads only',
    rules: [{ tool: 'helm', prefix: HELM_HISTORY('videokit-api'), stdout: HTML }],
    error: [PLAN_REFUSED, '  videokit-api: helm history: expected JSON, got: <!DOCTYPE html> (an HTML page: a proxy or login page answered, not the API server)',
      '  hint: something between you and the API server (a proxy, a login page) answered instead of it: check HTTPS_PROXY / NO_PROXY'] },
  { name: 'helm prints an empty array', args: [...DRILL_ARGS, '--dry-run'], exitCode: 3, runs: 'reads only',
    rules: [{ tool: 'helm', prefix: HELM_HISTORY('videokit-worker'), stdout: '[]\n' }],
    error: [PLAN_REFUSED, '  videokit-worker: helm history returned no revisions'] },
  { name: 'kubectl answers Forbidden', args: [...DRILL_ARGS, '--dry-run'], exitCode: 3, runs: 'reads only',
    rules: [{ tool: 'kubectl', prefix: GET_DEPLOYMENTS, stderr: `${FORBIDDEN_DEPLOYMENTS}\n`, exitCode: 1 }],
    error: [PLAN_REFUSED, `  videokit-api: kubectl get deployments,statefulsets,daemonsets exited 1: ${FORBIDDEN_DEPLOYMENTS}`, `  videokit-worker: kubectl get deployments,statefulsets,daemonsets exited 1: ${FORBIDDEN_DEPLOYMENTS}`, FORBIDDEN_HINT] },
  { name: 'helm history answers Forbidden', args: [...DRILL_ARGS, '--dry-run'], exitCode: 3, runs: 'reads only',
    rules: both({ tool: 'helm', prefix: HELM_HISTORY, stderr: `${FORBIDDEN_SECRETS}\n`, exitCode: 1 }),
    error: [PLAN_REFUSED, `  videokit-api: helm history exited 1: ${FORBIDDEN_SECRETS}`, `  videokit-worker: helm history exited 1: ${FORBIDDEN_SECRETS}`, FORBIDDEN_HINT] },
  { name: 'kubectl answers Unauthorized', args: [...DRILL_ARGS, '--dry-run'], exitCode: 3, runs: 'reads only',
    rules: [{ tool: 'kubectl', prefix: GET_DEPLOYMENTS, stderr: 'error: You must be logged in to the server (Unauthorized)\n', exitCode: 1 }],
    error: [PLAN_REFUSED, '  videokit-api: kubectl get deployments,statefulsets,daemonsets exited 1: error: You must be logged in to the server (Unauthorized)',
      '  videokit-worker: kubectl get deployments,statefulsets,daemonsets exited 1: error: You must be logged in to the server (Unauthorized)', UNAUTHORIZED_HINT] },
  { name: 'kubectl: connection refused (after klog noise)', args: [...DRILL_ARGS, '--dry-run'], exitCode: 3, runs: 'reads only',
    rules: [{ tool: 'kubectl', prefix: GET_DEPLOYMENTS, stderr: `${KLOG}${KLOG}The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n`, exitCode: 1 }],
    error: [PLAN_REFUSED, '  videokit-api: kubectl get deployments,statefulsets,daemonsets exited 1: The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?',
      '  videokit-worker: kubectl get deployments,statefulsets,daemonsets exited 1: The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?', UNREACHABLE_HINT] },
  { name: 'helm: connection refused', args: [...DRILL_ARGS, '--dry-run'], exitCode: 3, runs: 'reads only',
    rules: both({ tool: 'helm', prefix: HELM_HISTORY, stderr: 'Error: Kubernetes cluster unreachable: Get "https://127.0.0.1:6443/version": dial tcp 127.0.0.1:6443: connect: connection refused\n', exitCode: 1 }),
    error: [PLAN_REFUSED, '  videokit-api: helm history exited 1: Error: Kubernetes cluster unreachable: Get "https://127.0.0.1:6443/version": dial tcp 127.0.0.1:6443: connect: connection refused',
      '  videokit-worker: helm history exited 1: Error: Kubernetes cluster unreachable: Get "https://127.0.0.1:6443/version": dial tcp 127.0.0.1:6443: connect: connection refused', UNREACHABLE_HINT] },
  { name: 'the kubeconfig lacks the context', args: [...DRILL_ARGS, '--dry-run'], exitCode: 3, runs: 'reads only',
    rules: [
      ...both({ tool: 'helm', prefix: HELM_HISTORY, stderr: `Error: kubernetes cluster unreachable: context "${CTX}" does not exist\n`, exitCode: 1 }),
      { tool: 'kubectl', prefix: GET_DEPLOYMENTS, stderr: `error: context "${CTX}" does not exist\n`, exitCode: 1 },
    ],
    error: [PLAN_REFUSED, `  videokit-api: helm history exited 1: Error: kubernetes cluster unreachable: context "${CTX}" does not exist`,
      `  videokit-worker: helm history exited 1: Error: kubernetes cluster unreachable: context "${CTX}" does not exist`, NO_CONTEXT_HINT] },
  { name: 'no context anywhere (dry-run resolves it)', args: ['--release', 'videokit-api', '--namespace', NS, '--dry-run'], exitCode: 2, runs: 'reads only',
    rules: [{ tool: 'kubectl', args: ['config', 'current-context'], stderr: 'error: current-context is not set\n', exitCode: 1 }],
    error: [E('no --context given and the kubeconfig names none: kubectl config current-context exited 1: error: current-context is not set'), '  hint: pass --context or set KUBE_CONTEXT'] },
  { name: '--to-revision above the current', args: [...DRILL_ARGS, '--dry-run', '--to-revision', 'videokit-api=99'], exitCode: 3, runs: 'reads only',
    error: [PLAN_REFUSED, '  videokit-api: --to-revision 99 is not below the current revision 42'] },
  { name: '--to-revision equal to the current', args: [...DRILL_ARGS, '--dry-run', '--to-revision', 'videokit-api=42'], exitCode: 3, runs: 'reads only',
    error: [PLAN_REFUSED, '  videokit-api: --to-revision 42 is not below the current revision 42'] },
  { name: '--to-revision not in the history', args: [...DRILL_ARGS, '--dry-run', '--to-revision', 'videokit-api=7'], exitCode: 3, runs: 'reads only',
    error: [PLAN_REFUSED, '  videokit-api: --to-revision 7 is not in the release history (pruned by --history-max?)'] },
];

/** The error block: from the `error:` line to the end, without the transcript line. */
function errorBlock(stderr: string): string[] {
  const lines = stderr.split('\n');
  const start = lines.findIndex((line) => line.startsWith('videokit-rollback: error:'));
  if (start === -1) return [];
  return lines.slice(start).filter((line) => line !== '' && !line.startsWith('transcript: '));
}

/** How a case runs: the built CLI in a subprocess, or in this process with the real runner or the fakes' rules. */
type How = 'built' | 'in-process' | 'faked';

async function check(c: Case, how: How): Promise<void> {
  const fake = createFakeTools(drillRules({ overrides: [...(c.rules ?? [])] }));
  const cwd = mkdtempSync(join(tmpdir(), 'vkr-hostile-'));
  const env = { ...fake.env, ...c.env };
  const result =
    how === 'faked'
      ? await runFaked(fake, [...c.args], { cwd, env })
      : await (how === 'built' ? runBuiltCli : runInProcess)([...c.args], { path: [fake.dir], cwd, env });
  expect({ exitCode: result.exitCode, error: errorBlock(result.stderr) }).toEqual({ exitCode: c.exitCode, error: c.error });
  expect(result.stderr).not.toMatch(/\n\s+at /); // never a stack trace
  expect(result.stderr).not.toContain('\u001b'); // hostile input never reaches the terminal raw
  if (c.runs === 'nothing') expect(fake.calls()).toEqual([]);
  else expect(fake.calls().filter((call) => call.argv[0] === 'rollback')).toEqual([]);
}

/** Input cases that also run through the built CLI, so the wiring in main.ts is covered too. */
const BUILT_SAMPLE = new Set(['release with ; and a command', 'release with a terminal escape', 'duration in years', 'misspelt flag', 'kubectl not on PATH']);

describe('hostile and broken input: refused before anything runs', () => {
  it.each(inputCases.map((c) => [c.name, c] as const))('%s', (_name, c) => check(c, 'in-process'));
});

describe('hostile and broken tool output', () => {
  it.each(toolCases.map((c) => [c.name, c] as const))('%s', (_name, c) => check(c, 'faked'));
});

describe.concurrent('hostile and broken input: through the built CLI', () => {
  it.each(inputCases.filter((c) => BUILT_SAMPLE.has(c.name)).map((c) => [c.name, c] as const))('%s', (_name, c) => check(c, 'built'));
});

describe('no input ever reaches a shell', () => {
  const hostile = (marker: string) => [`x;touch ${marker}`, `$(touch ${marker})`, `\`touch ${marker}\``, `x && touch ${marker}`, `x | touch ${marker}`];

  it('a release name like `x;touch /tmp/pwned` runs nothing, in a dry-run or --execute', async () => {
    const fake = createFakeTools(drillRules());
    const cwd = mkdtempSync(join(tmpdir(), 'vkr-pwned-'));
    const marker = join(cwd, 'pwned');
    const runs: Promise<{ exitCode: number | undefined }>[] = [];
    for (const word of hostile(marker)) {
      for (const mode of [['--dry-run'], ['--execute', '--yes']]) {
        runs.push(
          runInProcess(['--release', word, ...SCOPE, ...mode], { path: [fake.dir], cwd, env: fake.env }),
          runInProcess(['--release', 'videokit-api', '--namespace', word, '--context', CTX, ...mode], { path: [fake.dir], cwd, env: fake.env }),
          runInProcess(['--release', 'videokit-api', '--namespace', NS, '--context', word, ...mode], { path: [fake.dir], cwd, env: fake.env }),
          runInProcess(['--release', 'videokit-api', ...SCOPE, '--to-revision', `${word}=41`, ...mode], { path: [fake.dir], cwd, env: fake.env }),
        );
      }
    }
    // And the real thing, once per mode: the built CLI as an operator would run it.
    runs.push(
      runBuiltCli(['--release', `x;touch ${marker}`, ...SCOPE, '--dry-run'], { path: [fake.dir], cwd, env: fake.env }),
      runBuiltCli(['--release', `x;touch ${marker}`, ...SCOPE, '--execute', '--yes'], { path: [fake.dir], cwd, env: fake.env }),
    );
    const results = await Promise.all(runs);
    expect(results.map((r) => r.exitCode)).toEqual(results.map(() => 2));
    expect(existsSync(marker)).toBe(false);
    expect(fake.calls()).toEqual([]);
  });

  it('the runner passes argv as is, without a shell, even if a hostile word got that far', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'vkr-argv-'));
    const marker = join(cwd, 'pwned');
    const words = hostile(marker);
    const result = await createExecaRunner({ PATH: '/usr/bin:/bin' }).run(
      { tool: 'helm', effect: 'read', file: '/bin/echo', args: words, purpose: 'echo' },
      { watchdogMs: 10_000 },
    );
    expect(result.stdout).toBe(`${words.join(' ')}\n`);
    expect(existsSync(marker)).toBe(false);
  });

  it('the runner starts each command in the run\'s directory, where a relative --helm was found', async () => {
    const cwd = realpathSync(mkdtempSync(join(tmpdir(), 'vkr-cwd-')));
    writeFileSync(join(cwd, 'helm'), '#!/bin/sh\npwd\n', { mode: 0o755 });
    const result = await createExecaRunner({ PATH: '/usr/bin:/bin' }, cwd).run(
      { tool: 'helm', effect: 'read', file: './helm', args: [], purpose: 'pwd' },
      { watchdogMs: 10_000 },
    );
    expect(result.stdout).toBe(`${cwd}\n`);
  });
});
