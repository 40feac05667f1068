import { parseDuration, DurationError } from '../domain/duration.js';
import { usageError } from '../domain/errors.js';
import { contextProblem, namespaceProblem, releaseNameProblem } from '../domain/names.js';
import type { RawOptions } from './program.js';

export type ContextSource = 'flag' | 'env' | 'kubeconfig';

/** A run's validated inputs. Nothing reaches the cluster until one of these exists. */
export interface RunConfig {
  readonly mode: 'dry-run' | 'execute';
  readonly releases: readonly string[];
  readonly namespace: string;
  readonly context: string | undefined;
  readonly contextSource: ContextSource | undefined;
  readonly targetEnv: string | undefined;
  readonly timeoutMs: number;
  readonly timeoutText: string;
  readonly pinnedRevisions: Readonly<Record<string, number>>;
  readonly allowPending: boolean;
  readonly transcriptPath: string | undefined;
  readonly output: 'text' | 'json';
  readonly yes: boolean;
  readonly helm: string;
  readonly kubectl: string;
  readonly concurrency: number;
  /** Roll back, verify, roll forward again, verify, write the report (see README "Drills"). */
  readonly drill: boolean;
}

const nonEmpty = (value: string | undefined): string | undefined => (value === undefined || value === '' ? undefined : value);

function parsePins(values: readonly string[]): Record<string, number> {
  const pins: Record<string, number> = {};
  for (const value of values) {
    const match = /^([^=]*)=(.*)$/.exec(value);
    if (match === null) throw usageError(`--to-revision "${value}" must look like <release>=<revision>`);
    const [, release = '', revisionText = ''] = match;
    const problem = releaseNameProblem(release);
    if (problem !== undefined) throw usageError(`--to-revision "${value}": ${problem}`);
    if (!/^[1-9]\d{0,8}$/.test(revisionText)) {
      throw usageError(`--to-revision "${value}": revision must be a positive whole number`);
    }
    if (release in pins) throw usageError(`--to-revision names ${release} twice`);
    pins[release] = Number(revisionText);
  }
  return pins;
}

/** Turns commander's raw options and the environment into a RunConfig, or a one-line usage error. */
export function resolveConfig(raw: RawOptions, env: NodeJS.ProcessEnv): RunConfig {
  if (raw.dryRun === raw.execute) throw usageError('choose exactly one of --dry-run or --execute');
  const mode = raw.dryRun === true ? 'dry-run' : 'execute';

  const releases = raw.release ?? [];
  if (releases.length === 0) throw usageError('at least one --release is required');
  for (const release of releases) {
    const problem = releaseNameProblem(release);
    if (problem !== undefined) throw usageError(problem);
  }
  const duplicate = releases.find((release, index) => releases.indexOf(release) !== index);
  if (duplicate !== undefined) throw usageError(`--release ${duplicate} is given twice`);

  if (raw.namespace === undefined) throw usageError('--namespace is required');
  const namespaceIssue = namespaceProblem(raw.namespace);
  if (namespaceIssue !== undefined) throw usageError(namespaceIssue);

  const flagContext = raw.context;
  const envContext = nonEmpty(env.KUBE_CONTEXT);
  const context = flagContext ?? envContext;
  if (context !== undefined) {
    const problem = contextProblem(context);
    if (problem !== undefined) throw usageError(problem);
  }
  if (mode === 'execute' && context === undefined) {
    throw usageError('--execute needs an explicit context: pass --context or set KUBE_CONTEXT');
  }

  let timeoutMs: number;
  try {
    timeoutMs = parseDuration(raw.timeout);
  } catch (error) {
    if (error instanceof DurationError) throw usageError(`--timeout: ${error.message}`);
    throw error;
  }

  const concurrency = Number(raw.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw usageError(`--concurrency "${raw.concurrency}" must be a whole number from 1 to 64`);
  }

  const helm = nonEmpty(raw.helm) ?? nonEmpty(env.HELM_BIN) ?? 'helm';
  const kubectl = nonEmpty(raw.kubectl) ?? nonEmpty(env.KUBECTL_BIN) ?? 'kubectl';
  if (raw.transcript === '') throw usageError('--transcript needs a path');
  const drill = raw.drill === true;
  if (drill && raw.transcript !== undefined && !raw.transcript.endsWith('.jsonl')) {
    // The drill's report is rendered from the transcript, which must be JSON Lines.
    throw usageError(`--drill needs a JSON Lines transcript: "${raw.transcript}" does not end in .jsonl`, 'omit --transcript for the default, or name a .jsonl file');
  }

  return {
    mode,
    releases,
    namespace: raw.namespace,
    context,
    contextSource: flagContext !== undefined ? 'flag' : envContext !== undefined ? 'env' : undefined,
    targetEnv: nonEmpty(raw.targetEnv ?? env.TARGET_ENV),
    timeoutMs,
    timeoutText: raw.timeout,
    pinnedRevisions: parsePins(raw.toRevision ?? []),
    allowPending: raw.allowPending === true,
    transcriptPath: raw.transcript,
    output: raw.output === 'json' ? 'json' : 'text',
    yes: raw.yes === true,
    helm,
    kubectl,
    concurrency,
    drill,
  };
}

/** The guard the drill asked for: a context outside TARGET_ENV is the wrong cluster. */
export function checkTargetEnv(context: string, targetEnv: string | undefined): void {
  if (targetEnv !== undefined && !context.startsWith(targetEnv)) {
    throw usageError(
      `context "${context}" does not belong to TARGET_ENV "${targetEnv}" (its name must start with it); refusing`,
      'check --context / KUBE_CONTEXT and --target-env / TARGET_ENV',
    );
  }
}
