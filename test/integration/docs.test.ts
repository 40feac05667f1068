import { Command, CommanderError } from 'commander';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generatedDocs, slug } from '../../scripts/gen-docs.js';
import { EXIT_CODES } from '../../src/cli/exitCodes.js';
import { buildProgram } from '../../src/cli/program.js';
import type { CommandSpec } from '../../src/domain/commandSpec.js';
import type { PlanDocument } from '../../src/plan/approval/planDocument.js';
import type { CommandRunner } from '../../src/process/runner.js';
import { codeBlocks, shellCommands, toolArgv, type DocCommand } from '../support/docCommands.js';
import { runInProcess } from '../support/inProcessCli.js';

const ROOT = resolve(import.meta.dirname, '../..');
const MARKDOWN = [
  ...readdirSync(ROOT).filter((name) => name.endsWith('.md')),
  ...readdirSync(join(ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const commands = MARKDOWN.flatMap((path) => shellCommands(read(path), path));
const invocations = commands.flatMap((command) => {
  const argv = toolArgv(command.words);
  return argv === undefined ? [] : [{ command, argv }];
});

describe('generated documentation', () => {
  it.each([...generatedDocs(ROOT)].map(([path, content]) => ({ path, content })))('$path is current (npm run docs)', ({ path, content }) => {
    expect(read(path), `${path} is stale: run npm run docs`).toBe(content);
  });
});

describe('README.md', () => {
  const readme = read('README.md');

  it('is a guide of at most 250 lines that starts with the two commands a newcomer types', () => {
    expect(readme.split('\n').length).toBeLessThanOrEqual(250);
    const first = codeBlocks(readme)[0]?.lines.join('\n') ?? '';
    expect(first).toMatch(/^npm ci && npm run demo\b/m);
    expect(first).toMatch(/^npm ci && npm test\b/m);
  });

  it('lists every exit code the CLI has, and no other', () => {
    const section = readme.split('\n## Exit codes\n')[1]?.split('\n## ')[0] ?? '';
    const listed = [...section.matchAll(/^\| ([\d /]+) \|/gm)].flatMap((m) => (m[1] ?? '').split('/').map((code) => Number(code.trim())));
    expect(listed.sort((a, b) => a - b)).toEqual([...new Set(Object.values(EXIT_CODES))].sort((a, b) => a - b));
  });
});

/** Stops a run at its first command: reaching it means the argv passed all validation. */
function stoppingRunner(): CommandRunner & { calls: CommandSpec[] } {
  const calls: CommandSpec[] = [];
  return {
    calls,
    run: async (spec) => {
      calls.push(spec);
      throw new Error('documentation check: no command runs');
    },
  };
}

/** commander's own parse of the argv with the real definitions, nothing run. */
function parseOnly(argv: readonly string[]): string | undefined {
  const program = buildProgram('0.0.0');
  const silence = (command: Command) => {
    command.exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
    command.action(() => undefined);
    command.commands.forEach(silence);
  };
  silence(program);
  try {
    program.parse([...argv], { from: 'user' });
    return undefined;
  } catch (error) {
    if (error instanceof CommanderError && /helpDisplayed|help|version/.test(error.code)) return undefined;
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * Options and subcommands that read a file the documentation only names (a transcript, a
 * config file, a key): these commands are checked against commander's definitions alone,
 * since full validation would stop at the missing file. An approved plan is provided.
 */
const NAMES_A_FILE = (argv: readonly string[]) =>
  argv.some((word) => ['--config', '--sign-key'].includes(word) || /^--(config|sign-key)=/.test(word)) ||
  ['report', 'verify'].includes(argv[0] ?? '');

const revision = (n: number, status: string, app: string) => ({ revision: n, status, chart: `videokit-api-0.${n}.0`, appVersion: app });

/** The drill's plan, approved just now: what `--plan <file>` in the docs reads. */
function approvedPlan(): PlanDocument {
  return {
    kind: 'videokit-rollback/approved-plan',
    schemaVersion: 1,
    tool: { name: 'videokit-rollback', version: '0.0.0-test' },
    helm: { version: 'v4.1.4' },
    kubectl: { version: 'v1.35.2' },
    context: 'prod-eu-west-1-admin',
    cluster: { server: 'https://prod-eu-west-1.example:6443' },
    namespace: 'videokit',
    targetEnv: 'prod-eu-west-1',
    createdBy: { user: 'operator', host: 'bastion' },
    createdAt: new Date().toISOString(),
    allowPending: false,
    releases: [
      {
        release: 'videokit-api',
        action: 'rollback',
        current: revision(42, 'deployed', '1.42.0'),
        target: revision(41, 'superseded', '1.41.0'),
        pinned: false,
        deployments: ['videokit-api'],
        targetManifestSha256: '0'.repeat(64),
      },
    ],
  };
}

describe('every videokit-rollback command shown in README.md and docs/', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vkr-docs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // helm and kubectl must exist to pass validation; they are never run.
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const tool of ['helm', 'kubectl']) {
    writeFileSync(join(bin, tool), '#!/bin/sh\nexit 99\n');
    chmodSync(join(bin, tool), 0o755);
  }

  it('is found', () => {
    // The README's drill alone shows a dry-run and an execute.
    expect(invocations.filter(({ command }) => command.where.startsWith('README.md')).length).toBeGreaterThanOrEqual(2);
    expect(invocations.length).toBeGreaterThanOrEqual(10);
  });

  it.each(invocations.map(({ command, argv }) => ({ where: command.where, text: command.text, command, argv })))(
    '$where: $text',
    async ({ command, argv }: { command: DocCommand; argv: string[] }) => {
      if (NAMES_A_FILE(argv) && command.expectedExit === undefined) {
        expect(parseOnly(argv)).toBeUndefined();
        return;
      }
      const runner = stoppingRunner();
      const cwd = mkdtempSync(join(dir, 'run-'));
      const plan = argv[argv.indexOf('--plan') + 1];
      if (argv.includes('--plan') && plan !== undefined) writeFileSync(join(cwd, plan), JSON.stringify(approvedPlan()));
      // An operator at a terminal, so --execute may ask instead of needing --yes.
      const run = await runInProcess(argv, { cwd, env: { NO_COLOR: '1', ...command.env }, path: [bin], runner, terminal: true });
      if (command.expectedExit !== undefined) {
        expect({ exit: run.exitCode, commands: runner.calls.length }, run.stderr).toEqual({ exit: command.expectedExit, commands: 0 });
        return;
      }
      const passed = runner.calls.length > 0 || run.exitCode === 0;
      expect(passed, `refused before running anything (exit ${run.exitCode}):\n${run.stderr}`).toBe(true);
    },
  );
});

describe('every other command shown', () => {
  const scripts = Object.keys((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts);

  it.each(commands.filter((c) => c.words[0] === 'npm' && c.words[1] === 'run').map((c) => ({ where: c.where, text: c.text, words: c.words })))(
    '$where: $text names a script of package.json',
    ({ words }) => {
      const name = words.slice(2).find((word) => !word.startsWith('-'));
      expect(scripts).toContain(name);
    },
  );

  it.each(
    commands
      .filter((c) => (c.words[0] === 'node' || (c.words[0] === 'npx' && c.words[1] === 'tsx')) && c.words.some((w) => /^(scripts|test)\//.test(w)))
      .map((c) => ({ where: c.where, text: c.text, path: c.words.find((w) => /^(scripts|test)\//.test(w)) ?? '' })),
  )('$where: $text runs a file of the repository', ({ path }) => {
    expect(existsSync(join(ROOT, path)), path).toBe(true);
  });
});

/** Headings' anchors as GitHub makes them, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  const withoutCode = markdown.replace(/^( *)(```|~~~)[\s\S]*?^\1\2\s*$/gm, '');
  for (const match of withoutCode.matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug((match[1] ?? '').trim());
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count === 0 ? base : `${base}-${count}`);
  }
  return result;
}

describe('every relative link in README.md and docs/', () => {
  const links = MARKDOWN.flatMap((path) => {
    const text = read(path)
      .replace(/^( *)(```|~~~)[\s\S]*?^\1\2\s*$/gm, '')
      .replace(/`[^`\n]*`/g, '');
    return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1] ?? '')
      .filter((target) => !/^[a-z]+:/.test(target))
      .map((target) => ({ path, target }));
  });

  it('is found', () => {
    expect(links.length).toBeGreaterThan(20);
  });

  it.each(links)('$path -> $target', ({ path, target }) => {
    const [file = '', anchor] = target.split('#');
    const resolved = file === '' ? join(ROOT, path) : resolve(dirname(join(ROOT, path)), file);
    expect(existsSync(resolved), `${relative(ROOT, resolved)} does not exist`).toBe(true);
    if (anchor !== undefined) {
      expect(resolved.endsWith('.md'), 'anchors only into Markdown').toBe(true);
      expect([...anchors(readFileSync(resolved, 'utf8'))]).toContain(anchor);
    }
  });
});

describe('every repository path named in README.md and docs/', () => {
  // Outside code blocks (those show commands and output); ignoring placeholders such as <name> or *.
  const paths = MARKDOWN.flatMap((path) => {
    const text = read(path).replace(/^( *)(```|~~~)[\s\S]*?^\1\2\s*$/gm, '');
    const named = [...text.matchAll(/(?<![\w/.-])((?:src|test|scripts|bin|\.github)\/[\w./-]*)/g)].map((m) => (m[1] ?? '').replace(/[.]+$/, ''));
    return [...new Set(named)].map((named) => ({ path, named }));
  });

  it('is found', () => {
    expect(paths.length).toBeGreaterThan(20);
  });

  it.each(paths)('$path names $named', ({ named }) => {
    expect(existsSync(join(ROOT, named)), `${named} does not exist`).toBe(true);
  });
});
