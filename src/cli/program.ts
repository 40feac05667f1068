import { Command, Option } from 'commander';
import { CONFIG_ENV, DEFAULT_CONFIG_FILE } from './configFile.js';
import { EXIT_CODE_HELP } from './exitCodes.js';

export const DEFAULT_TIMEOUT = '10m';
export const DEFAULT_PLAN_MAX_AGE = '1h';

/** Options exactly as commander hands them over, before validation. */
export interface RawOptions {
  release?: string[];
  namespace?: string;
  context?: string;
  targetEnv?: string;
  dryRun?: boolean;
  execute?: boolean;
  timeout?: string;
  toRevision?: string[];
  allowPending?: boolean;
  transcript?: string;
  output: string;
  yes?: boolean;
  helm?: string;
  kubectl?: string;
  concurrency: string;
  config?: string;
  drill?: boolean;
  atomic?: boolean;
  checkUrl?: string[];
  waitStrategy?: string;
  planOut?: string;
  plan?: string;
  planMaxAge?: string;
  diff?: boolean;
  annotate?: boolean;
  annotateDashboard?: string;
  annotateTag?: string[];
  signKey?: string;
  /** commander always supplies its default, '1'. */
  parallel?: string;
}

const collect = (value: string, previous: string[] | undefined): string[] => [...(previous ?? []), value];

/** The drill's two steps: review, then execute. The bare invocation prints these too. */
const DRILL_EXAMPLES = `  # Review: plan the drill's rollback, run only reads, print the write commands
  TARGET_ENV=prod-eu-west-1 videokit-rollback \\
    --release videokit-api --release videokit-worker \\
    --namespace videokit --context prod-eu-west-1-admin --dry-run

  # Execute it within a 10 minute budget
  TARGET_ENV=prod-eu-west-1 videokit-rollback \\
    --release videokit-api --release videokit-worker \\
    --namespace videokit --context prod-eu-west-1-admin --execute --timeout 10m`;

const USAGE_LINE = 'Usage: videokit-rollback [options] [command]';

const EXAMPLES = `
Examples:
${DRILL_EXAMPLES}

  # A drill: roll back, verify, roll forward again, verify, write the report
  TARGET_ENV=prod-eu-west-1 videokit-rollback \\
    --release videokit-api --release videokit-worker \\
    --namespace videokit --context prod-eu-west-1-admin \\
    --execute --drill --timeout 10m

  # The after-action report of a recorded run (from its .jsonl transcript alone)
  videokit-rollback report reports/deploy/drill.jsonl --output drill.html

  # Shell completion
  source <(videokit-rollback completion bash)

  # Approve a plan, then execute exactly it, all or nothing
  ... --dry-run --diff --plan-out plan.json
  TARGET_ENV=prod-eu-west-1 videokit-rollback --plan plan.json \\
    --execute --atomic --annotate \\
    --check-url https://api.videokit.example/readyz

Environment:
  KUBE_CONTEXT   default for --context    TARGET_ENV   default for --target-env
  HELM_BIN       default for --helm       KUBECTL_BIN  default for --kubectl
  NO_COLOR       disables colour (colour and spinners only appear on a terminal)
  ${CONFIG_ENV}  config file, when --config is not given
  GRAFANA_URL, GRAFANA_TOKEN   Grafana base URL and API token for --annotate

Target: the newest superseded or deployed revision below the current one
that does not carry the current revision's content ("Rollback to N" carries
N's). A release whose newest revision is a completed rollback is already
rolled back: no write, exit 0; --to-revision goes further back.
--allow-pending finishes an interrupted rollback (pending-rollback "Rollback
to N": target N). See docs/target-rule.md.

Defaults: flags win over the environment, which wins over the config file,
which wins over the built-in defaults. The config file (JSON) may set
namespace, context, targetEnv, releases, timeout and transcriptDir; --dry-run
shows where each value came from. "requireTargetEnv": true refuses every run
without TARGET_ENV.

${EXIT_CODE_HELP}
`;

/** What a bare `videokit-rollback` prints (on stderr, exit 2): how to start. */
export const BARE_USAGE = `${USAGE_LINE}

${DRILL_EXAMPLES}

Run videokit-rollback --help for every option.
`;

export const REPORT_COMMAND = 'report';
export const VERIFY_COMMAND = 'verify';
export const COMPLETION_COMMAND = 'completion';

/**
 * Help is wrapped at a fixed width, terminal or not, so the text the bin prints
 * for a bare `--help` (rendered at build time, see helpText.ts) is exactly this.
 */
const HELP_WIDTH = 80;

/**
 * commander's own description, with defaults and choices shown as typed on a
 * command line (`default: 8`) rather than as JSON strings (`default: "8"`).
 */
function describeOption(option: Option): string {
  const extra: string[] = [];
  if (option.argChoices !== undefined) extra.push(`choices: ${option.argChoices.join(', ')}`);
  if (option.defaultValue !== undefined && (option.required || option.optional)) {
    extra.push(`default: ${option.defaultValueDescription ?? String(option.defaultValue)}`);
  }
  return extra.length === 0 ? option.description : `${option.description} (${extra.join(', ')})`;
}

/** `verify <transcript>`: the record's chain, seal and signature. */
function addVerifyCommand(program: Command): void {
  program
    .command(VERIFY_COMMAND)
    .description('check a JSON Lines transcript: its hash chain, every event, its seal (exit 0 sealed, 1 cut short, 2 unreadable, 7 tampered)')
    .argument('<transcript>', 'a .jsonl transcript')
    .option('--digest <sha256>', 'the seal digest kept outside the file (summary, CI log, ticket): a seal must carry it')
    .option('--allowed-signers <file>', "also check <transcript>.sig with ssh-keygen -Y verify against this allowed-signers file")
    .option('--identity <principal>', 'whose signature to expect (with --allowed-signers)')
    .allowExcessArguments(false);
}

/**
 * The run's options: what commander parses, what `--help` shows, and what shell
 * completion offers. An option with `.env()` is defaulted by that variable, and the
 * config file's keys (FILE_KEYS in optionSources.ts) default theirs: precedence is
 * applied once, in optionSources.ts, from commander's value sources.
 */
export function runOptions(): Option[] {
  const value = (flags: string, description: string) => new Option(flags, description);
  return [
    value('-r, --release <name>', 'Helm release to roll back (repeatable; run in the order given; replaces the config file\'s releases)').argParser(collect),
    value('-n, --namespace <namespace>', 'namespace of the releases (required, here or in the config file)'),
    value('--context <name>', 'kubeconfig context (default: $KUBE_CONTEXT; required with --execute)').env('KUBE_CONTEXT'),
    value('--target-env <env>', 'refuse unless the context is this or starts with it and one of - _ . : @ / (default: $TARGET_ENV)').env('TARGET_ENV'),
    new Option('--dry-run', 'run only the reads; print the plan and the exact write commands'),
    new Option('--execute', 'roll back for real'),
    value('--timeout <duration>', 'overall budget of the run, Go-style (90s, 10m, 1h30m)').default(DEFAULT_TIMEOUT),
    value('--to-revision <release=revision>', 'pin the target revision of a release (repeatable)').argParser(collect),
    new Option('--drill', 'with --execute: roll back, verify, roll forward to the revisions before, verify, write the report'),
    new Option('--allow-pending', 'allow rolling back a release whose newest revision is pending-*'),
    value('--transcript <path>', 'the record, x.jsonl, with its text log x.log written beside it at the end; either name names both (default with --execute: a .jsonl named by the UTC time, in reports/deploy)'),
    value('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'),
    new Option('-y, --yes', 'do not ask for confirmation (required for --execute without a terminal)'),
    value('--helm <path>', 'helm binary (default: $HELM_BIN, else helm on PATH)').env('HELM_BIN'),
    value('--kubectl <path>', 'kubectl binary (default: $KUBECTL_BIN, else kubectl on PATH)').env('KUBECTL_BIN'),
    value('--concurrency <n>', 'planning reads in flight at once').default('8'),
    value('--config <path>', `config file of defaults (default: $${CONFIG_ENV}, else ./${DEFAULT_CONFIG_FILE} if present)`).env(CONFIG_ENV),
    new Option('--atomic', 'all or nothing: if a release fails, roll the releases already changed forward again (exit 6 if that fails too)'),
    value('--check-url <url>', 'after the rollouts, poll this URL until it answers 2xx within the budget (repeatable)').argParser(collect),
    value('--wait-strategy <strategy>', "helm 4 only: helm's wait (--wait=watcher or --wait=legacy)").choices(['watcher', 'legacy']),
    value('--plan-out <file>', 'with --dry-run: write the plan as a JSON document to approve'),
    value('--plan <file>', 'with --execute: execute this approved plan (instead of --release/--namespace), refused if anything moved'),
    value('--plan-max-age <duration>', 'refuse an approved plan older than this').default(DEFAULT_PLAN_MAX_AGE),
    new Option('--diff', "with --dry-run: show each release's manifest diff (Secret values hashed)"),
    new Option('--annotate', 'post a Grafana annotation of the run ($GRAFANA_URL, $GRAFANA_TOKEN)'),
    value('--annotate-dashboard <uid>', 'dashboard UID for the annotation'),
    value('--annotate-tag <tag>', 'extra annotation tag (repeatable)').argParser(collect),
    value('--sign-key <path>', 'sign the sealed transcript with this SSH private key (ssh-keygen -Y sign), writing <transcript>.sig'),
    value('--parallel <n>', 'releases rolled back at once (1: one after another, in the order given)').default('1'),
  ];
}

/**
 * The rollback is the program's own (default) action; `report` is a subcommand.
 * Positional options keep the two apart: `--output` before `report` is the run's
 * output format, after it the report's file.
 */
export function buildProgram(version: string): Command {
  const program = new Command('videokit-rollback')
    .configureOutput({ getOutHelpWidth: () => HELP_WIDTH, getErrHelpWidth: () => HELP_WIDTH })
    .configureHelp({ optionDescription: describeOption })
    .enablePositionalOptions()
    .description('Roll Helm releases back to their last good revision, verify the rollouts, and keep a transcript.')
    .version(version, '-V, --version')
    .addHelpText('after', EXAMPLES)
    .allowExcessArguments(false)
    .showSuggestionAfterError(true)
    .helpCommand('help [command]', 'display help for a command');
  for (const option of runOptions()) program.addOption(option);
  program
    .command(REPORT_COMMAND)
    .description('verify a recorded run\'s JSON Lines transcript, then render its after-action report (never asks the cluster)')
    .argument('<transcript>', 'a .jsonl record (every run with a transcript writes one)')
    .option('-o, --output <file>', 'write the report to this file (default: stdout)')
    .addOption(new Option('--format <format>', 'report format; text: the whole record as its text log (default: from --output\'s extension, else md)').choices(['md', 'html', 'text']))
    .option('--run <n>', 'which run of the transcript (1 = first; default: the last --execute run, else the last run)')
    .allowExcessArguments(false);
  addVerifyCommand(program);
  // Listed here so the help has one Commands section; runCli answers `completion`
  // before commander parses anything (see completion.ts for its own options).
  program
    .command(COMPLETION_COMMAND)
    .description('print a shell completion script')
    .argument('<shell>', 'bash, zsh or fish');
  return program;
}
