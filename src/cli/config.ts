import { dirname, resolve } from 'node:path';
import { parseDuration, DurationError } from '../domain/duration.js';
import { RollbackFailure, usageError } from '../domain/errors.js';
import type { AnnotationTarget } from '../tools/grafana.js';
import type { ApprovedPlan, RunConfig } from '../app/runConfig.js';
import type { ContextSource, Setting, ValueSource } from '../domain/settings.js';
import { contextProblem, namespaceProblem, releaseNameProblem, showInput } from '../domain/names.js';
import type { ConfigFile } from './configFile.js';
import type { RawOptions } from './program.js';

export const DEFAULT_TIMEOUT = '10m';
export const DEFAULT_TRANSCRIPT_DIR = 'reports/deploy';
export const DEFAULT_PLAN_MAX_AGE = '1h';

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

/** The options that take a value, as commander names them in RawOptions. */
const VALUE_OPTIONS: readonly [keyof RawOptions, string][] = [
  ['release', '--release'],
  ['namespace', '--namespace'],
  ['context', '--context'],
  ['targetEnv', '--target-env'],
  ['timeout', '--timeout'],
  ['toRevision', '--to-revision'],
  ['transcript', '--transcript'],
  ['helm', '--helm'],
  ['kubectl', '--kubectl'],
  ['concurrency', '--concurrency'],
  ['config', '--config'],
  ['checkUrl', '--check-url'],
  ['waitStrategy', '--wait-strategy'],
  ['planOut', '--plan-out'],
  ['plan', '--plan'],
  ['planMaxAge', '--plan-max-age'],
  ['annotateDashboard', '--annotate-dashboard'],
  ['annotateTag', '--annotate-tag'],
];

/**
 * commander gives an option the next word as its value even when that word is
 * another option (`--release --dry-run`): say so, rather than report a confusing
 * later problem (here: "choose exactly one of --dry-run or --execute").
 */
function checkOptionValues(raw: RawOptions): void {
  for (const [key, flag] of VALUE_OPTIONS) {
    const value = raw[key];
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string' && /^--?[a-zA-Z]/.test(item) && !/^-\d/.test(item)) {
        throw usageError(`${flag} is missing its value: it was followed by the option ${showInput(item)}`);
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
function fromApprovedPlan(raw: RawOptions, approved: ApprovedPlan | undefined): RawOptions {
  if (approved === undefined) return raw;
  for (const [given, flag] of [[raw.release, '--release'], [raw.namespace, '--namespace'], [raw.toRevision, '--to-revision'], [raw.allowPending, '--allow-pending']] as const) {
    if (given !== undefined) throw usageError(`--plan ${approved.path} decides ${flag}: do not give both`);
  }
  const doc = approved.document;
  return {
    ...raw,
    release: doc.releases.map((r) => r.release),
    namespace: doc.namespace,
    toRevision: doc.releases.flatMap((r) => (r.action === 'rollback' && r.pinned ? [`${r.release}=${r.target.revision}`] : [])),
    allowPending: doc.allowPending,
  };
}

/** `--plan`: an explicit --context or KUBE_CONTEXT other than the plan's is a plan refusal (exit 3). */
function checkPlanContext(raw: RawOptions, env: NodeJS.ProcessEnv, approved: ApprovedPlan): void {
  const asked = raw.context ?? nonEmpty(env.KUBE_CONTEXT);
  if (asked !== undefined && asked !== approved.document.context) {
    throw new RollbackFailure('plan', `the approved plan ${approved.path} no longer matches; nothing was changed`, {
      details: [`context: approved ${approved.document.context}, now ${asked} (from ${raw.context !== undefined ? '--context' : 'KUBE_CONTEXT'})`],
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

/** The first of flag, environment and file that is set, with where it came from. */
function pick<T>(
  candidates: readonly [T | undefined, ValueSource, string | null][],
): Setting<T> | undefined {
  for (const [value, source, from] of candidates) {
    if (value !== undefined) return { value, source, from };
  }
  return undefined;
}

const unset = { value: null, source: 'unset', from: null } as const;

/**
 * Turns commander's raw options, the environment and the config file (already read and
 * schema-checked by loadConfigFile) into a RunConfig, or a one-line usage error.
 * Pure: no file system, no clock. Precedence: flags > environment > file > defaults.
 */
export function resolveConfig(given: RawOptions, env: NodeJS.ProcessEnv, file?: ConfigFile, approvedPlan?: ApprovedPlan): RunConfig {
  checkOptionValues(given);
  if (given.dryRun === given.execute) throw usageError('choose exactly one of --dry-run or --execute');
  const mode = given.dryRun === true ? 'dry-run' : 'execute';
  if (approvedPlan !== undefined && mode !== 'execute') throw usageError('--plan goes with --execute (a dry-run writes one with --plan-out)');
  if (given.planOut !== undefined && mode !== 'dry-run') throw usageError('--plan-out goes with --dry-run');
  if (given.planOut === '') throw usageError('--plan-out needs a path');
  if (given.diff === true && mode !== 'dry-run') throw usageError('--diff goes with --dry-run');
  const raw = fromApprovedPlan(given, approvedPlan);
  const planSource = approvedPlan === undefined ? undefined : ([approvedPlan.path] as const);
  const fromFile = file?.values ?? {};
  const filePath = file?.path ?? null;
  /** Errors about a value from the file name the file and the key. */
  const where = (setting: Setting<unknown>, key: string) =>
    setting.source === 'file' ? `config file ${filePath}: key "${key}": ` : '';

  const releasesSetting: Setting<readonly string[]> = pick<readonly string[]>([
    [raw.release, planSource === undefined ? 'flag' : 'plan', planSource?.[0] ?? '--release'],
    [fromFile.releases, 'file', filePath],
  ]) ?? { value: [], source: 'unset', from: null };
  const releases = releasesSetting.value;
  if (releases.length === 0) throw usageError('at least one --release is required', 'pass --release, or list "releases" in the config file');
  for (const release of releases) {
    const problem = releaseNameProblem(release);
    if (problem !== undefined) throw usageError(`${where(releasesSetting, 'releases')}${problem}`);
  }
  const duplicate = releases.find((release, index) => releases.indexOf(release) !== index);
  if (duplicate !== undefined) {
    throw usageError(releasesSetting.source === 'file' ? `${where(releasesSetting, 'releases')}${duplicate} is listed twice` : `--release ${duplicate} is given twice`);
  }

  const namespaceSetting = pick<string>([
    [raw.namespace, planSource === undefined ? 'flag' : 'plan', planSource?.[0] ?? '--namespace'],
    [fromFile.namespace, 'file', filePath],
  ]);
  if (namespaceSetting === undefined) throw usageError('--namespace is required', 'pass --namespace, or set "namespace" in the config file');
  const namespaceIssue = namespaceProblem(namespaceSetting.value);
  if (namespaceIssue !== undefined) throw usageError(`${where(namespaceSetting, 'namespace')}${namespaceIssue}`);

  if (approvedPlan !== undefined) checkPlanContext(raw, env, approvedPlan);
  const contextSetting = pick<string>([
    [approvedPlan?.document.context, 'plan', approvedPlan?.path ?? null],
    [raw.context, 'flag', '--context'],
    [nonEmpty(env.KUBE_CONTEXT), 'env', '$KUBE_CONTEXT'],
    [fromFile.context, 'file', filePath],
  ]);
  const context = contextSetting?.value;
  if (contextSetting !== undefined) {
    const problem = contextProblem(contextSetting.value);
    if (problem !== undefined) throw usageError(`${where(contextSetting, 'context')}${problem}`);
  }
  if (mode === 'execute' && context === undefined) {
    throw usageError('--execute needs an explicit context: pass --context, set KUBE_CONTEXT, or set "context" in the config file');
  }

  // An empty --target-env switches the guard off, whatever the environment or file say.
  const targetEnvSetting = pick<string>([
    [raw.targetEnv, 'flag', '--target-env'],
    [nonEmpty(env.TARGET_ENV), 'env', '$TARGET_ENV'],
    [fromFile.targetEnv, 'file', filePath],
  ]);

  if (fromFile.requireTargetEnv === true && nonEmpty(targetEnvSetting?.value) === undefined) {
    throw usageError(
      `config file ${filePath}: "requireTargetEnv" is set and no TARGET_ENV is given`,
      'set TARGET_ENV (or --target-env) to the environment this run is for',
    );
  }

  const timeoutSetting = pick<string>([
    [raw.timeout, 'flag', '--timeout'],
    [fromFile.timeout, 'file', filePath],
  ]) ?? { value: DEFAULT_TIMEOUT, source: 'default', from: null };
  let timeoutMs: number;
  try {
    timeoutMs = parseDuration(timeoutSetting.value);
  } catch (error) {
    if (error instanceof DurationError) {
      throw usageError(timeoutSetting.source === 'file' ? `${where(timeoutSetting, 'timeout')}${error.message}` : `--timeout: ${error.message}`);
    }
    throw error;
  }

  // A relative transcriptDir is relative to the config file, so --config works from anywhere.
  const transcriptDirSetting: Setting<string> =
    fromFile.transcriptDir !== undefined && filePath !== null
      ? { value: resolve(dirname(filePath), fromFile.transcriptDir), source: 'file', from: filePath }
      : { value: DEFAULT_TRANSCRIPT_DIR, source: 'default', from: null };

  const concurrency = wholeNumber('--concurrency', raw.concurrency);
  const parallel = wholeNumber('--parallel', raw.parallel ?? '1');

  const helm = nonEmpty(raw.helm) ?? nonEmpty(env.HELM_BIN) ?? 'helm';
  const kubectl = nonEmpty(raw.kubectl) ?? nonEmpty(env.KUBECTL_BIN) ?? 'kubectl';
  if (raw.transcript === '') throw usageError('--transcript needs a path');
  const pinnedRevisions = parsePins(raw.toRevision ?? []);
  // Checked here, not only by the planner: bad input is refused before anything reaches the cluster.
  for (const pinned of Object.keys(pinnedRevisions)) {
    if (!releases.includes(pinned)) throw usageError(`--to-revision names ${pinned}, which is not one of the --release values`);
  }
  const drill = raw.drill === true;
  // A drill already rolls every touched release forward again, whatever happened.
  if (drill && raw.atomic === true) throw usageError('--atomic and --drill do not go together: a drill always rolls the touched releases forward again');

  if (raw.signKey === '') throw usageError('--sign-key needs a path');
  if (raw.signKey !== undefined && mode === 'dry-run' && raw.transcript === undefined) {
    throw usageError('--sign-key signs the transcript, and this dry-run keeps none', 'add --transcript <file>.jsonl');
  }

  return {
    mode,
    releases,
    namespace: namespaceSetting.value,
    context,
    contextSource: contextSetting === undefined ? undefined : (contextSetting.source as ContextSource),
    targetEnv: nonEmpty(targetEnvSetting?.value),
    timeoutMs,
    timeoutText: timeoutSetting.value,
    pinnedRevisions,
    allowPending: raw.allowPending === true,
    transcriptPath: raw.transcript,
    transcriptDir: transcriptDirSetting.value,
    output: raw.output === 'json' ? 'json' : 'text',
    yes: raw.yes === true,
    helm,
    kubectl,
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
      releases: releasesSetting,
      namespace: namespaceSetting,
      context: contextSetting ?? unset,
      targetEnv:
        targetEnvSetting === undefined ? unset : { ...targetEnvSetting, value: nonEmpty(targetEnvSetting.value) ?? null },
      timeout: timeoutSetting,
      transcriptDir: transcriptDirSetting,
    },
    drill,
  };
}
