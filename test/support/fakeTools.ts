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

/** Whether a rule of `tool` starts with these words: then the rules, not the built-in identity answers, decide. */
const ruled = (rules: readonly FakeRule[], tool: string, words: readonly string[]) =>
  rules.some((r) => r.tool === tool && words.every((w, i) => (r.args ?? r.prefix ?? [])[i] === w));

/** What the wrapper answers for an identity read no rule answers; undefined for any other call. */
export function identityAnswer(tool: 'helm' | 'kubectl', argv: readonly string[], rules: readonly FakeRule[]): string | undefined {
  const [args, answer] = IDENTITY_ANSWERS[tool] as [string, string];
  if (argv.join(' ') === args && !ruled(rules, tool, args.split(' ').slice(0, 2))) return answer;
  if (tool === 'kubectl' && argv[0] === 'config' && argv[1] === 'view' && argv[2] === '--minify' && !ruled(rules, tool, ['config', 'view'])) return CONFIG_VIEW;
  return undefined;
}

/** Rules with more output than this are left to fake-tool.mjs rather than written into the script. */
const INLINE_OUTPUT_LIMIT = 256 * 1024;

/** A rule the wrapper can answer itself: no state, no waiting, a modest fixed answer. */
const isStatic = (rule: FakeRule) =>
  rule.after === undefined && rule.awaitCalls === undefined && rule.delayMs === undefined && rule.hang !== true &&
  (rule.stdout ?? '').length + (rule.stderr ?? '').length <= INLINE_OUTPUT_LIMIT && !`${rule.stdout ?? ''}${rule.stderr ?? ''}`.includes('\0');

/**
 * The wrapper script of a fake. It answers what needs no Node: the identity reads no rule
 * answers, and the static rules (first match wins, as in fake-tool.mjs) up to the first
 * rule that is not static; everything else goes to fake-tool.mjs. A Node start-up per call
 * made subprocess tests slow, and slow enough under load to miss the 1 s completion budget.
 * The argv is logged as JSON only when every word is printable ASCII without `"` or `\`;
 * otherwise fake-tool.mjs answers and logs it.
 */
function wrapper(tool: 'helm' | 'kubectl', log: string, rules: readonly FakeRule[]): string {
  const quote = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;
  const logCall = (argv: string) =>
    `printf '{"tool":"${tool}","argv":%s,"pid":%s,"time":%s}\\n' ${argv} "$$" "$(date +%s%3N)" >> ${quote(log)}`;
  const [args, answer] = IDENTITY_ANSWERS[tool] as [string, string];
  const node = `exec "${process.execPath}" "${FAKE_TOOL}" ${tool} "$@"`;
  const lines = ['#!/bin/sh', 'LC_ALL=C'];
  if (!ruled(rules, tool, args.split(' ').slice(0, 2))) {
    lines.push(`if [ "$*" = ${quote(args)} ]; then ${logCall(quote(JSON.stringify(args.split(' '))))}; printf '%s' ${quote(answer)}; exit 0; fi`);
  }
  if (tool === 'kubectl' && !ruled(rules, tool, ['config', 'view'])) {
    lines.push(`case "$1 $2 $3" in "config view --minify") ${logCall(quote('["config","view","--minify"]'))}; printf '%s' ${quote(CONFIG_VIEW)}; exit 0 ;; esac`);
  }
  lines.push(
    'argv=\'[\'; sep=\'\'',
    'for word in "$@"; do',
    `  case "$word" in *[!\\ -~]*|*[\\"\\\\]*) ${node} ;; esac`,
    '  argv="$argv$sep\\"$word\\""; sep=,',
    'done',
    'argv="$argv]"',
  );
  for (const rule of rules.filter((r) => r.tool === tool)) {
    if (!isStatic(rule)) break;
    const words = rule.args ?? rule.prefix ?? [];
    const count = rule.args !== undefined ? `[ $# -eq ${words.length} ]` : `[ $# -ge ${words.length} ]`;
    const test = [count, ...words.map((word, i) => `[ "\${${i + 1}}" = ${quote(word)} ]`)].join(' && ');
    const out = rule.stdout ? `; printf '%s' ${quote(rule.stdout)}` : '';
    const err = rule.stderr ? `; printf '%s' ${quote(rule.stderr)} >&2` : '';
    lines.push(`if ${test}; then ${logCall('"$argv"')}${out}${err}; exit ${rule.exitCode ?? 0}; fi`);
  }
  lines.push(node, '');
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
