import type { Outcome } from '../domain/outcome.js';
import { redactDeep, type Redactor } from '../process/redact.js';
import type { Settings } from '../domain/settings.js';
import type { AnnotationResult } from '../tools/grafana.js';
import type { ForwardResult, ReadinessResult, ReleaseResult } from '../domain/vocabulary.js';
import type { ReleaseManifestDiff, RestoreReport } from '../domain/records.js';
import type { CommandRecord } from '../process/gate.js';
import type { PlanProblem, RecordedPlan } from '../domain/plan.js';
import type { PlannedCommand } from './runEvents.js';

export const OUTPUT_SCHEMA_VERSION = 1;

export type { PlannedCommand };

/** Everything one run learned and did; `--output json` prints it as the only thing on stdout. */
export interface RunReport {
  readonly schemaVersion: typeof OUTPUT_SCHEMA_VERSION;
  readonly tool: { readonly name: string; readonly version: string };
  readonly mode: 'dry-run' | 'execute' | null;
  readonly context: string | null;
  readonly contextSource: string | null;
  readonly namespace: string | null;
  readonly targetEnv: string | null;
  readonly timeout: string | null;
  /** Each defaults-able value with its source (flag, env, file, default, kubeconfig, unset). */
  readonly settings: Settings | null;
  /** The config file read, if any. */
  readonly configFile: string | null;
  readonly plan: RecordedPlan | null;
  readonly problems: readonly PlanProblem[];
  readonly warnings: readonly string[];
  /** What --execute runs (dry-run) or was to run, in order. */
  readonly plannedCommands: readonly PlannedCommand[];
  /** What ran, with exit code, duration and output. */
  readonly commands: readonly CommandRecord[];
  readonly releases: readonly ReleaseResult[];
  /** A drill's roll forward, per release the rollback touched (empty without --drill). */
  readonly forward: readonly ForwardResult[];
  /** The after-action report a drill wrote next to its transcript, or null. */
  readonly report: string | null;
  readonly restoreCommands: readonly string[];
  /** --diff: per release, per resource, unified diffs (Secret values hashed); null without --diff. */
  readonly diff: readonly ReleaseManifestDiff[] | null;
  /** --atomic: what the restore did; null when no restore ran. */
  readonly restore: RestoreReport | null;
  /** --check-url results. */
  readonly readiness: readonly ReadinessResult[];
  /** --annotate: what was posted (never the token) and how it went. */
  readonly annotation: AnnotationResult | null;
  /** --plan-out wrote, or --plan verified, this approved-plan document. */
  readonly planDocument: { readonly action: 'written' | 'verified'; readonly path: string; readonly sha256: string } | null;
  readonly transcript: string | null;
  /**
   * The sha256 its seal carries (every byte of the record before the seal), or null when no
   * record was kept. Kept outside the file (CI log, ticket), it is what `verify --digest` checks.
   */
  readonly transcriptDigest: string | null;
  /** `--sign-key`: the signature file written beside the transcript (ssh-keygen -Y sign), or null. */
  readonly signature: string | null;
  readonly outcome: Outcome;
}

/** What the document shows of the run's events. */
export type DocumentState = Pick<
  RunReport,
  'plan' | 'problems' | 'warnings' | 'plannedCommands' | 'commands' | 'releases' | 'forward' | 'restoreCommands' | 'diff' | 'restore' | 'readiness' | 'annotation' | 'planDocument'
> & {
  readonly context: string | undefined;
  readonly contextSource: string | undefined;
  readonly settings: Settings | null;
};

/** What the JSON document is made of, as the run left it (possibly part way, when it failed or was interrupted). */
export interface DocumentFacts {
  readonly tool: RunReport['tool'];
  /** The seal's digest, and the signature written beside the record (--sign-key). */
  readonly digest?: string | null;
  readonly signature?: string | null;
  readonly config:
    | {
        readonly mode: 'dry-run' | 'execute';
        readonly namespace: string;
        readonly targetEnv: string | undefined;
        readonly timeoutText: string;
        readonly settings: Settings;
        readonly configFile: string | undefined;
}
    | undefined;
  /** What the run's events said, up to its end or the moment it was cut short (runFacts.ts). */
  readonly facts: DocumentState;
  readonly transcript: string | null;
  readonly reportPath: string | null;
  readonly outcome: Outcome;
}

/** Pure: `--output json`, the run's one document, with the same redaction as the transcript (command output and argv included). */
export function runDocument(facts: DocumentFacts, redact: Redactor): RunReport {
  const { config, facts: state } = facts;
  return redactDeep<RunReport>(
    {
      schemaVersion: OUTPUT_SCHEMA_VERSION,
      tool: facts.tool,
      mode: config?.mode ?? null,
      context: state.context ?? null,
      contextSource: state.contextSource ?? null,
      namespace: config?.namespace ?? null,
      targetEnv: config?.targetEnv ?? null,
      timeout: config?.timeoutText ?? null,
      settings: state.settings ?? config?.settings ?? null,
      configFile: config?.configFile ?? null,
      plan: state.plan,
      problems: state.problems,
      warnings: state.warnings,
      plannedCommands: state.plannedCommands,
      commands: state.commands,
      releases: state.releases,
      forward: state.forward,
      report: facts.reportPath,
      restoreCommands: state.restoreCommands,
      diff: state.diff,
      restore: state.restore,
      readiness: state.readiness,
      annotation: state.annotation,
      planDocument: state.planDocument,
      transcript: facts.transcript,
      transcriptDigest: facts.digest ?? null,
      signature: facts.signature ?? null,
      outcome: facts.outcome,
    },
    redact,
  );
}
