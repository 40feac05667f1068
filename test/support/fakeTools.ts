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
  calls(): FakeCall[];
  setRules(rules: FakeRule[]): void;
}

/** A folder with `helm` and `kubectl` executables that answer from rules and log every call. */
export function createFakeTools(rules: FakeRule[] = []): FakeTools {
  const dir = mkdtempSync(join(tmpdir(), 'vkr-fake-'));
  const scenario = join(dir, 'scenario.json');
  const log = join(dir, 'calls.jsonl');
  writeFileSync(log, '');
  for (const tool of ['helm', 'kubectl']) {
    const file = join(dir, tool);
    writeFileSync(file, `#!/bin/sh\nexec "${process.execPath}" "${FAKE_TOOL}" ${tool} "$@"\n`);
    chmodSync(file, 0o755);
  }
  const fake: FakeTools = {
    dir,
    helm: join(dir, 'helm'),
    kubectl: join(dir, 'kubectl'),
    env: { FAKE_SCENARIO: scenario, FAKE_LOG: log },
    calls: () =>
      existsSync(log)
        ? readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as FakeCall)
        : [],
    setRules: (next) => writeFileSync(scenario, JSON.stringify({ rules: next })),
  };
  fake.setRules(rules);
  return fake;
}
