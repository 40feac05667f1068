import { chmodSync, mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const FAKE_TOOL = resolve(import.meta.dirname, '../fakes/fake-tool.mjs');

export interface FakeRule {
  tool: 'helm' | 'kubectl';
  args?: string[];
  prefix?: string[];
  /** Only match once an earlier call of this tool started with this argv prefix (state after a write). */
  after?: { tool: 'helm' | 'kubectl'; prefix: string[] };
  stdout?: string;
  stderr?: string;
  exitCode?: number;
  delayMs?: number;
  hang?: boolean;
  /** Answer only once all these calls were logged (proves concurrency without timing). */
  awaitCalls?: { tool: 'helm' | 'kubectl'; prefix: string[] }[];
}

export interface FakeCall {
  tool: string;
  argv: string[];
  pid: number;
  time: number;
}

export interface FakeTools {
  dir: string;
  helm: string;
  kubectl: string;
  env: Record<string, string>;
  /** Every call but the identity reads that start each run's record. */
  calls(): FakeCall[];
  /** The identity reads (versions, kubeconfig view): answered by the wrappers without Node. */
  identityCalls(): FakeCall[];
  /** Every call, identity reads included, in the order they started. */
  allCalls(): FakeCall[];
  /** The rules answering now. */
  rules(): FakeRule[];
  setRules(rules: FakeRule[]): void;
}

/**
 * The reads every run starts its record with (versions, the context's kubeconfig entries),
 * answered as the real binaries answer them, by the shell wrapper itself: starting Node
 * for each of them would add three Node start-ups to every run of every test. They are
 * logged like any call, and left out of calls() (see identityCalls()).
 */
const IDENTITY_ANSWERS: Record<string, [string, string]> = {
  helm: ['version --template {{.Version}}', 'v3.17.3'],
  kubectl: ['version --client --output json', '{"clientVersion":{"major":"1","minor":"31","gitVersion":"v1.31.9","platform":"linux/amd64"},"kustomizeVersion":"v5.4.2"}'],
};
export const FAKE_SERVER = 'https://api.prod-eu-west-1.example:6443';
const CONFIG_VIEW = JSON.stringify({
  kind: 'Config',
  clusters: [{ name: 'prod-eu-west-1', cluster: { server: FAKE_SERVER, 'certificate-authority-data': 'DATA+OMITTED' } }],
  users: [{ name: 'prod-eu-west-1-admin', user: { token: 'REDACTED' } }],
  contexts: [{ name: 'prod-eu-west-1-admin', context: { cluster: 'prod-eu-west-1', user: 'prod-eu-west-1-admin' } }],
  'current-context': 'prod-eu-west-1-admin',
});
const isIdentityRead = (call: { tool: string; argv: string[] }) =>
  (call.tool === 'helm' && call.argv[0] === 'version' && call.argv[1] === '--template') ||
  (call.tool === 'kubectl' && ((call.argv[0] === 'version' && call.argv[1] === '--client') || (call.argv[0] === 'config' && call.argv[1] === 'view')));

/** What the wrapper answers for an identity read no rule answers; undefined for any other call. */
export function identityAnswer(tool: 'helm' | 'kubectl', argv: readonly string[], rules: readonly FakeRule[]): string | undefined {
  const ruled = (words: string[]) => rules.some((r) => r.tool === tool && words.every((w, i) => (r.args ?? r.prefix ?? [])[i] === w));
  const [args, answer] = IDENTITY_ANSWERS[tool] as [string, string];
  if (argv.join(' ') === args && !ruled(args.split(' ').slice(0, 2))) return answer;
  if (tool === 'kubectl' && argv[0] === 'config' && argv[1] === 'view' && argv[2] === '--minify' && !ruled(['config', 'view'])) return CONFIG_VIEW;
  return undefined;
}

/** The wrapper script of a fake: identity reads no rule answers are answered here, the rest by fake-tool.mjs. */
function wrapper(tool: 'helm' | 'kubectl', log: string, rules: readonly FakeRule[]): string {
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  const ruled = (words: string[]) => rules.some((r) => r.tool === tool && words.every((w, i) => (r.args ?? r.prefix ?? [])[i] === w));
  const logCall = (argv: string) =>
    `printf '{"tool":"${tool}","argv":%s,"pid":%s,"time":%s}\\n' ${quote(argv)} "$$" "$(date +%s%3N)" >> ${quote(log)}`;
  const [args, answer] = IDENTITY_ANSWERS[tool] as [string, string];
  const lines = ['#!/bin/sh'];
  if (!ruled(args.split(' ').slice(0, 2))) {
    lines.push(`if [ "$*" = ${quote(args)} ]; then ${logCall(JSON.stringify(args.split(' ')))}; printf '%s' ${quote(answer)}; exit 0; fi`);
  }
  if (tool === 'kubectl' && !ruled(['config', 'view'])) {
    lines.push(`case "$1 $2 $3" in "config view --minify") ${logCall('["config","view","--minify"]')}; printf '%s' ${quote(CONFIG_VIEW)}; exit 0 ;; esac`);
  }
  lines.push(`exec "${process.execPath}" "${FAKE_TOOL}" ${tool} "$@"`, '');
  return lines.join('\n');
}

/** A folder with `helm` and `kubectl` executables that answer from rules and log every call. */
export function createFakeTools(rules: FakeRule[] = []): FakeTools {
  const dir = mkdtempSync(join(tmpdir(), 'vkr-fake-'));
  const scenario = join(dir, 'scenario.json');
  const log = join(dir, 'calls.jsonl');
  writeFileSync(log, '');
  const allCalls = () =>
    existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as FakeCall) : [];
  let current: FakeRule[] = rules;
  const fake: FakeTools = {
    dir,
    helm: join(dir, 'helm'),
    kubectl: join(dir, 'kubectl'),
    env: { FAKE_SCENARIO: scenario, FAKE_LOG: log },
    calls: () => allCalls().filter((call) => !isIdentityRead(call)),
    identityCalls: () => allCalls().filter(isIdentityRead),
    allCalls,
    rules: () => current,
    setRules: (next) => {
      current = next;
      writeFileSync(scenario, JSON.stringify({ rules: next }));
      for (const tool of ['helm', 'kubectl'] as const) {
        writeFileSync(join(dir, tool), wrapper(tool, log, next));
        chmodSync(join(dir, tool), 0o755);
      }
    },
  };
  fake.setRules(rules);
  return fake;
}
