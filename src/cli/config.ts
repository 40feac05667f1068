import { dirname, resolve } from 'node:path';
import { parseDuration, DurationError } from '../domain/duration.js';
import { RollbackFailure, usageError } from '../domain/errors.js';
import type { AnnotationTarget } from '../tools/grafana.js';
import type { ApprovedPlan, RunConfig } from '../app/runConfig.js';
import type { ContextSource, Setting } from '../domain/settings.js';
import { contextProblem, namespaceProblem, releaseNameProblem, showInput } from '../domain/names.js';
import type { Command } from 'commander';
import { loadConfigFile, type ConfigFile, type ConfigFileReader } from './configFile.js';
import { applyConfigFile, applyEnvironment, givenAsFlag, PLAN_SOURCE, settingOf, type Origins } from './optionSources.js';
import { DEFAULT_PLAN_MAX_AGE, DEFAULT_TIMEOUT, type RawOptions } from './program.js';

export const DEFAULT_TRANSCRIPT_DIR = 'reports/deploy';

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

function parsePins(values: readonly string[]): Record<string, number> {
  const pins: Record<string, number> = {};
  for (const value of values) {
    const match = /^([^=]*)=(.*)$/.exec(value);
    if (match === null) throw usageError(`--to-revision ${showInput(value)} must look like <release>=<revision>`);
    const [, release = '', revisionText = ''] = match;
    const problem = releaseNameProblem(release);
    if (problem !== undefined) throw usageError(`--to-revision ${showInput(value)}: ${problem}`);
    if (!/^[1-9]\d{0,8}$/.test(revisionText)) {
      throw usageError(`--to-revision ${showInput(value)}: revision must be a positive whole number`);
    }
    if (release in pins) throw usageError(`--to-revision names ${release} twice`);
    pins[release] = Number(revisionText);
  }
  return pins;
}

/**
 * commander gives an option the next word as its value even when that word is
 * another option (`--release --dry-run`): say so, rather than report a confusing
 * later problem (here: "choose exactly one of --dry-run or --execute").
 */
function checkOptionValues(command: Command): void {
  for (const option of command.options) {
    const key = option.attributeName();
    if (!(option.required || option.optional) || !givenAsFlag(command, key)) continue;
    const value: unknown = command.getOptionValue(key);
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string' && /^--?[a-zA-Z]/.test(item) && !/^-\d/.test(item)) {
        throw usageError(`${option.long ?? key} is missing its value: it was followed by the option ${showInput(item)}`);
      }
    }
  }
}

function parseDurationOption(flag: string, text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    if (error instanceof DurationError) throw usageError(`${flag}: ${error.message}`);
    throw error;
  }
}

function parseCheckUrls(values: readonly string[]): string[] {
  for (const value of values) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw usageError(`--check-url "${value}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError(`--check-url "${value}": only http and https URLs can be checked`);
  }
  return [...values];
}

function resolveAnnotation(raw: RawOptions, env: NodeJS.ProcessEnv): AnnotationTarget | undefined {
  if (raw.annotate !== true) {
    if (raw.annotateDashboard !== undefined || raw.annotateTag !== undefined) throw usageError('--annotate-dashboard and --annotate-tag need --annotate');
    return undefined;
  }
  const baseUrl = nonEmpty(env.GRAFANA_URL);
  const token = nonEmpty(env.GRAFANA_TOKEN);
  if (baseUrl === undefined || token === undefined) throw usageError('--annotate needs $GRAFANA_URL and $GRAFANA_TOKEN in the environment');
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw usageError('$GRAFANA_URL is not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw usageError('$GRAFANA_URL must be an http or https URL');
  const extraTags = raw.annotateTag ?? [];
  if (extraTags.some((tag) => tag.trim() === '')) throw usageError('--annotate-tag needs a non-empty tag');
  return { baseUrl, token, dashboardUid: nonEmpty(raw.annotateDashboard), extraTags };
}

/**
 * `--plan` replaces --release, --namespace, --to-revision and --allow-pending (and the config
 * file's releases, namespace and context): the approved plan decides. Re-planning keeps only
 * the approver's pins, so a target that would now be chosen differently shows as a difference.
 */
function applyApprovedPlan(command: Command, approved: ApprovedPlan | undefined): void {
  if (approved === undefined) return;
  for (const [key, flag] of [['release', '--release'], ['namespace', '--namespace'], ['toRevision', '--to-revision'], ['allowPending', '--allow-pending']] as const) {
    if (givenAsFlag(command, key)) throw usageError(`--plan ${approved.path} decides ${flag}: do not give both`);
  }
  checkPlanContext(command, approved);
  const doc = approved.document;
  command.setOptionValueWithSource('release', doc.releases.map((r) => r.release), PLAN_SOURCE);
  command.setOptionValueWithSource('namespace', doc.namespace, PLAN_SOURCE);
  command.setOptionValueWithSource('context', doc.context, PLAN_SOURCE);
  const pins = doc.releases.flatMap((r) => (r.action === 'rollback' && r.pinned ? [`${r.release}=${r.target.revision}`] : []));
  command.setOptionValueWithSource('toRevision', pins, PLAN_SOURCE);
  command.setOptionValueWithSource('allowPending', doc.allowPending, PLAN_SOURCE);
}

/** `--plan`: an explicit --context or KUBE_CONTEXT other than the plan's is a plan refusal (exit 3). */
function checkPlanContext(command: Command, approved: ApprovedPlan): void {
  const asked = settingOf<string>(command, 'context', NO_ORIGINS);
  if (asked !== undefined && asked.value !== approved.document.context) {
    throw new RollbackFailure('plan', `the approved plan ${approved.path} no longer matches; nothing was changed`, {
      details: [`context: approved ${approved.document.context}, now ${asked.value} (from ${asked.source === 'flag' ? '--context' : 'KUBE_CONTEXT'})`],
    });
  }
}

function wholeNumber(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(value) || value < 1 || value > 64) {
    throw usageError(`${flag} ${showInput(text)} must be a whole number from 1 to 64`);
  }
  return value;
}

const unset = { value: null, source: 'unset', from: null } as const;
const NO_ORIGINS: Origins = { file: null, plan: null };

/** Errors about a value from the file name the file and the key. */
const where = (setting: Setting<unknown>, key: string) => (setting.source === 'file' ? `config file ${setting.from ?? ''}: key "${key}": ` : '');

/** The command line's mode and the options that go only with one of them. */
function modeOf(command: Command, approvedPlan: ApprovedPlan | undefined): RunConfig['mode'] {
  const given = command.opts<RawOptions>();
  if (given.dryRun === given.execute) throw usageError('choose exactly one of --dry-run or --execute');
  const mode = given.dryRun === true ? 'dry-run' : 'execute';
  if (approvedPlan !== undefined && mode !== 'execute') throw usageError('--plan goes with --execute (a dry-run writes one with --plan-out)');
  if (given.planOut !== undefined && mode !== 'dry-run') throw usageError('--plan-out goes with --dry-run');
  if (given.planOut === '') throw usageError('--plan-out needs a path');
  if (given.diff === true && mode !== 'dry-run') throw usageError('--diff goes with --dry-run');
  return mode;
}

function releasesOf(command: Command, origins: Origins): Setting<readonly string[]> {
  const setting = settingOf<readonly string[]>(command, 'release', origins) ?? { value: [], source: 'unset', from: null };
  const releases = setting.value;
  if (releases.length === 0) throw usageError('at least one --release is required', 'pass --release, or list "releases" in the config file');
  for (const release of releases) {
    const problem = releaseNameProblem(release);
    if (problem !== undefined) throw usageError(`${where(setting, 'releases')}${problem}`);
  }
  const duplicate = releases.find((release, index) => releases.indexOf(release) !== index);
  if (duplicate !== undefined) {
    throw usageError(setting.source === 'file' ? `${where(setting, 'releases')}${duplicate} is listed twice` : `--release ${duplicate} is given twice`);
  }
  return setting;
}

function namespaceOf(command: Command, origins: Origins): Setting<string> {
  const setting = settingOf<string>(command, 'namespace', origins);
  if (setting === undefined) throw usageError('--namespace is required', 'pass --namespace, or set "namespace" in the config file');
  const problem = namespaceProblem(setting.value);
  if (problem !== undefined) throw usageError(`${where(setting, 'namespace')}${problem}`);
  return setting;
}

function contextOf(command: Command, origins: Origins, mode: RunConfig['mode']): Setting<string> | undefined {
  const setting = settingOf<string>(command, 'context', origins);
  if (setting !== undefined) {
    const problem = contextProblem(setting.value);
    if (problem !== undefined) throw usageError(`${where(setting, 'context')}${problem}`);
  }
  if (mode === 'execute' && setting === undefined) {
    throw usageError('--execute needs an explicit context: pass --context, set KUBE_CONTEXT, or set "context" in the config file');
  }
  return setting;
}

/** An empty --target-env switches the guard off, whatever the environment or file say. */
function targetEnvOf(command: Command, origins: Origins, file: ConfigFile | undefined): Setting<string | null> {
  const setting = settingOf<string>(command, 'targetEnv', origins);
  const value = nonEmpty(setting?.value);
  if (file?.values.requireTargetEnv === true && value === undefined) {
    throw usageError(
      `config file ${file.path}: "requireTargetEnv" is set and no TARGET_ENV is given`,
      'set TARGET_ENV (or --target-env) to the environment this run is for',
    );
  }
  return setting === undefined ? unset : { ...setting, value: value ?? null };
}

function timeoutOf(command: Command, origins: Origins): { setting: Setting<string>; ms: number } {
  const setting = settingOf<string>(command, 'timeout', origins) ?? { value: DEFAULT_TIMEOUT, source: 'default', from: null };
  try {
    return { setting, ms: parseDuration(setting.value) };
  } catch (error) {
    if (error instanceof DurationError) {
      throw usageError(setting.source === 'file' ? `${where(setting, 'timeout')}${error.message}` : `--timeout: ${error.message}`);
    }
    throw error;
  }
}

/** A relative transcriptDir is relative to the config file, so --config works from anywhere. */
function transcriptDirOf(file: ConfigFile | undefined): Setting<string> {
  return file?.values.transcriptDir !== undefined
    ? { value: resolve(dirname(file.path), file.values.transcriptDir), source: 'file', from: file.path }
    : { value: DEFAULT_TRANSCRIPT_DIR, source: 'default', from: null };
}

/** The binaries, with where each came from: a stale $HELM_BIN is not fixed by looking at --helm. */
function binariesOf(command: Command): Pick<RunConfig, 'helm' | 'kubectl' | 'binaryOrigins'> {
  const helm = settingOf<string>(command, 'helm', NO_ORIGINS);
  const kubectl = settingOf<string>(command, 'kubectl', NO_ORIGINS);
  return {
    helm: helm?.value ?? 'helm',
    kubectl: kubectl?.value ?? 'kubectl',
    binaryOrigins: { helm: helm?.source === 'env' ? 'HELM_BIN' : '--helm', kubectl: kubectl?.source === 'env' ? 'KUBECTL_BIN' : '--kubectl' },
  };
}

/** The pins, each naming one of the releases. Checked here, not only by the planner: bad input is refused before anything reaches the cluster. */
function pinsOf(raw: RawOptions, releases: readonly string[]): Record<string, number> {
  const pinnedRevisions = parsePins(raw.toRevision ?? []);
  for (const pinned of Object.keys(pinnedRevisions)) {
    if (!releases.includes(pinned)) throw usageError(`--to-revision names ${pinned}, which is not one of the --release values`);
  }
  return pinnedRevisions;
}

/** --drill, --atomic, --transcript and --sign-key, checked against each other and the mode. */
function checkRecordOptions(raw: RawOptions, mode: RunConfig['mode']): void {
  // A drill already rolls every touched release forward again, whatever happened.
  if (raw.drill === true && raw.atomic === true) throw usageError('--atomic and --drill do not go together: a drill always rolls the touched releases forward again');
  if (raw.signKey === '') throw usageError('--sign-key needs a path');
  if (raw.signKey !== undefined && mode === 'dry-run' && raw.transcript === undefined) {
    throw usageError('--sign-key signs the transcript, and this dry-run keeps none', 'add --transcript <file>.jsonl');
  }
}

/** The config file --config or $VIDEOKIT_ROLLBACK_CONFIG names, else the working directory's, if any. */
export function configFileFor(command: Command, env: NodeJS.ProcessEnv, cwd: string, reader?: ConfigFileReader): ConfigFile | undefined {
  applyEnvironment(command, env);
  return loadConfigFile(settingOf<string>(command, 'config', NO_ORIGINS), cwd, reader);
}

/** The values the config file can default, with their origins, after every step of precedence. */
function settingsOf(command: Command, file: ConfigFile | undefined, approvedPlan: ApprovedPlan | undefined, mode: RunConfig['mode']) {
  const origins: Origins = { file: file?.path ?? null, plan: approvedPlan?.path ?? null };
  return {
    releases: releasesOf(command, origins),
    namespace: namespaceOf(command, origins),
    context: contextOf(command, origins, mode),
    targetEnv: targetEnvOf(command, origins, file),
    timeout: timeoutOf(command, origins),
    transcriptDir: transcriptDirOf(file),
  };
}

/**
 * Turns the parsed command line, the environment and the config file (already read and
 * schema-checked) into a RunConfig, or a one-line usage error. Pure: no file system, no
 * clock. Precedence (flags > environment > file > defaults) is optionSources.ts's.
 */
export function resolveConfig(command: Command, env: NodeJS.ProcessEnv, file?: ConfigFile, approvedPlan?: ApprovedPlan): RunConfig {
  checkOptionValues(command);
  const mode = modeOf(command, approvedPlan);
  applyEnvironment(command, env);
  applyApprovedPlan(command, approvedPlan);
  applyConfigFile(command, file);
  const settings = settingsOf(command, file, approvedPlan, mode);
  const raw = command.opts<RawOptions>();
  const concurrency = wholeNumber('--concurrency', raw.concurrency);
  const parallel = wholeNumber('--parallel', raw.parallel ?? '1');
  if (raw.transcript === '') throw usageError('--transcript needs a path');
  const pinnedRevisions = pinsOf(raw, settings.releases.value);
  checkRecordOptions(raw, mode);
  return {
    mode,
    releases: settings.releases.value,
    namespace: settings.namespace.value,
    context: settings.context?.value,
    contextSource: settings.context === undefined ? undefined : (settings.context.source as ContextSource),
    targetEnv: settings.targetEnv.value ?? undefined,
    timeoutMs: settings.timeout.ms,
    timeoutText: settings.timeout.setting.value,
    pinnedRevisions,
    allowPending: raw.allowPending === true,
    transcriptPath: raw.transcript,
    transcriptDir: settings.transcriptDir.value,
    output: raw.output === 'json' ? 'json' : 'text',
    yes: raw.yes === true,
    ...binariesOf(command),
    concurrency,
    atomic: raw.atomic === true,
    checkUrls: parseCheckUrls(raw.checkUrl ?? []),
    waitStrategy: raw.waitStrategy === 'watcher' || raw.waitStrategy === 'legacy' ? raw.waitStrategy : undefined,
    planOut: raw.planOut,
    approvedPlan,
    planMaxAgeMs: parseDurationOption('--plan-max-age', raw.planMaxAge ?? DEFAULT_PLAN_MAX_AGE),
    diff: raw.diff === true,
    annotate: resolveAnnotation(raw, env),
    parallel,
    signKey: raw.signKey,
    configFile: file?.path,
    settings: {
      releases: settings.releases,
      namespace: settings.namespace,
      context: settings.context ?? unset,
      targetEnv: settings.targetEnv,
      timeout: settings.timeout.setting,
      transcriptDir: settings.transcriptDir,
    },
    drill: raw.drill === true,
  };
}
