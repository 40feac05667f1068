/**
 * `npm run docs`: writes the documentation that is generated rather than written, so it
 * cannot drift from what it describes:
 * - docs/options.md, whole, from the commander program the CLI parses its argv with
 *   (every command, argument and option, and the exact `--help` texts);
 * - the input and output tables of docs/github-action.md, from action.yml.
 * `npm run docs -- --check` writes nothing and exits 1 if a file is not current;
 * test/unit/docs.test.ts makes the same comparison.
 */
import type { Argument, Command, Option } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { buildProgram } from '../src/cli/program.js';
import { completionCommand } from '../src/cli/completion.js';
import { renderHelp } from '../src/cli/helpText.js';

const GENERATOR = 'scripts/gen-docs.ts';

/** Where each option is explained at length; the options table links there. */
const FEATURE_PAGES: Readonly<Record<string, string>> = {
  '--release': 'target-rule.md',
  '--to-revision': 'target-rule.md#going-further-back',
  '--allow-pending': 'target-rule.md#recovering-from-an-interrupted-run',
  '--target-env': '../README.md#safety-guarantees',
  '--config': 'configuration.md',
  '--namespace': 'configuration.md',
  '--context': 'configuration.md',
  '--timeout': 'interrupts-and-deadlines.md',
  '--drill': 'drills-and-reports.md',
  '--transcript': 'transcript.md',
  '--output': 'output.md',
  '--atomic': 'atomic.md',
  '--check-url': 'readiness-checks.md',
  '--wait-strategy': 'wait-strategy.md',
  '--plan-out': 'approved-plans.md',
  '--plan': 'approved-plans.md',
  '--plan-max-age': 'approved-plans.md',
  '--diff': 'diff.md',
  '--annotate': 'annotations.md',
  '--annotate-dashboard': 'annotations.md',
  '--annotate-tag': 'annotations.md',
  '--parallel': 'performance.md',
  '--concurrency': 'performance.md',
  report: 'drills-and-reports.md#videokit-rollback-report',
  completion: 'completion.md',
};

/** A Markdown table cell: pipes and angle brackets escaped (`<UTC>` is not a tag), never a line break. */
const cell = (text: string): string =>
  text.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\s*\n\s*/g, ' ');
const code = (text: string): string => `\`${text}\``;

function pageLink(key: string): string {
  const page = FEATURE_PAGES[key];
  if (page === undefined) return '';
  const name = page.startsWith('../README.md') ? 'README' : (page.split('#')[0] ?? page).replace(/\.md$/, '');
  return `[${name}](${page})`;
}

function optionValue(option: Option): string {
  if (option.argChoices !== undefined) return option.argChoices.map(code).join(' \\| ');
  const value = /[<[][^>\]]*[>\]]/.exec(option.flags)?.[0];
  return value === undefined ? '' : code(value);
}

function optionDefault(option: Option): string {
  if (option.defaultValueDescription !== undefined) return code(option.defaultValueDescription);
  if (option.defaultValue === undefined) return '';
  return code(Array.isArray(option.defaultValue) ? option.defaultValue.join(',') : String(option.defaultValue));
}

function optionsTable(command: Command): string[] {
  const options = command.options.filter((option) => !option.hidden);
  const rows = options.map(
    (option) =>
      `| ${code(option.flags.replace(/\s*[<[].*$/, ''))} | ${optionValue(option)} | ${optionDefault(option)} | ${cell(option.description)} | ${pageLink(option.long ?? '')} |`,
  );
  rows.push('| `-h, --help` |  |  | display help for the command |  |');
  return ['| option | value | default | meaning | more |', '|---|---|---|---|---|', ...rows];
}

function argumentsTable(args: readonly Argument[]): string[] {
  if (args.length === 0) return [];
  return [
    '| argument | required | meaning |',
    '|---|---|---|',
    ...args.map((arg) => `| ${code(arg.name())} | ${arg.required ? 'yes' : 'no'} | ${cell(arg.description)} |`),
    '',
  ];
}

function helpOf(command: Command): string {
  let text = '';
  command.configureOutput({ writeOut: (chunk) => void (text += chunk) });
  command.outputHelp();
  return text;
}

/** `name` is the subcommand's: `command` may be one that names itself in full. */
function commandSection(command: Command, name: string): string[] {
  const full = `videokit-rollback ${name}`;
  const more = pageLink(name);
  return [
    `## ${code(full)}`,
    '',
    `${cell(command.description())}${more === '' ? '' : ` (more: ${more})`}`,
    '',
    `Usage: ${code(`${full} ${command.usage()}`)}`,
    '',
    ...argumentsTable(command.registeredArguments),
    ...(command.options.some((option) => !option.hidden) ? [...optionsTable(command), ''] : []),
    '<details><summary>Its <code>--help</code></summary>',
    '',
    '```text',
    helpOf(command).trimEnd(),
    '```',
    '',
    '</details>',
    '',
  ];
}

export function optionsPage(version: string): string {
  const program = buildProgram(version);
  const subcommands = program.commands.filter((command) => command.name() !== 'help');
  const lines = [
    '# Options reference',
    '',
    `<!-- Generated by ${GENERATOR} from the commander definitions (npm run docs); do not edit. -->`,
    '',
    'Every command and option, read from the very program that parses the command line, so',
    'this page cannot disagree with it (a test regenerates it and compares). What each',
    'feature does is explained on the page linked under "more". Precedence of defaults:',
    'flags, then environment, then the [config file](configuration.md), then built-in defaults.',
    '',
    `## ${code('videokit-rollback')}: roll back`,
    '',
    cell(program.description()),
    '',
    `Usage: ${code(`videokit-rollback ${program.usage()}`)}`,
    '',
    ...optionsTable(program),
    '',
    'Commands:',
    '',
    ...subcommands.map((command) => `- [${code(command.name())}](#${slug(`videokit-rollback ${command.name()}`)}): ${command.description()}`),
    '',
    '<details><summary>The whole <code>videokit-rollback --help</code></summary>',
    '',
    '```text',
    renderHelp(version).trimEnd(),
    '```',
    '',
    '</details>',
    '',
    // `completion` is listed by the program but parsed by a command of its own (its help is that one's).
    ...subcommands.flatMap((command) => commandSection(command.name() === 'completion' ? completionCommand() : command, command.name())),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

interface ActionYml {
  inputs?: Record<string, { description?: string; default?: unknown; required?: boolean }>;
  outputs?: Record<string, { description?: string }>;
}

function actionTables(actionYml: string): Record<string, string> {
  const action = parse(actionYml) as ActionYml;
  const inputs = Object.entries(action.inputs ?? {}).map(([name, input]) => {
    const fallback = input.default === undefined || input.default === '' ? '' : code(String(input.default));
    return `| ${code(name)} | ${input.required === true ? 'yes' : 'no'} | ${fallback} | ${cell(input.description ?? '')} |`;
  });
  const outputs = Object.entries(action.outputs ?? {}).map(([name, output]) => `| ${code(name)} | ${cell(output.description ?? '')} |`);
  return {
    'action-inputs': ['| input | required | default | meaning |', '|---|---|---|---|', ...inputs].join('\n'),
    'action-outputs': ['| output | meaning |', '|---|---|', ...outputs].join('\n'),
  };
}

const REGION = /(<!-- generated:([a-z-]+) [^>]*-->\n)[\s\S]*?(<!-- \/generated:\2 -->)/g;

/** Replaces each `<!-- generated:NAME … -->…<!-- /generated:NAME -->` region; unknown names are an error. */
export function fillRegions(text: string, regions: Record<string, string>, file: string): string {
  return text.replace(REGION, (_match, start: string, name: string, end: string) => {
    const body = regions[name];
    if (body === undefined) throw new Error(`${file}: no generator for the region "${name}"`);
    return `${start}${body}\n${end}`;
  });
}

/** Every generated file, path relative to the root, with the content it should have. */
export function generatedDocs(root: string): Map<string, string> {
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const docs = new Map<string, string>();
  docs.set('docs/options.md', optionsPage(version));
  const actionPage = 'docs/github-action.md';
  docs.set(actionPage, fillRegions(readFileSync(join(root, actionPage), 'utf8'), actionTables(readFileSync(join(root, 'action.yml'), 'utf8')), actionPage));
  return docs;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(import.meta.dirname, '..');
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const [path, content] of generatedDocs(root)) {
    const file = join(root, path);
    let current: string | undefined;
    try {
      current = readFileSync(file, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === content) continue;
    if (check) {
      stale++;
      process.stderr.write(`${path} is not current: run npm run docs\n`);
    } else {
      writeFileSync(file, content);
      process.stdout.write(`${path} written\n`);
    }
  }
  process.exit(stale === 0 ? 0 : 1);
}
