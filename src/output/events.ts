import type { CommandEffect } from '../commands/spec.js';
import type { RestoreResult } from '../execute/restore.js';
import type { DeploymentInfo, HistoryEntry, RollbackPlan } from '../plan/types.js';
import type { ReadinessResult } from '../readiness/checkUrls.js';

/**
 * Where in the run a command belongs: the transcript groups commands by phase.
 * `forward` is a drill's roll forward; `state` the reads that record where a release stands;
 * `restore` is --atomic putting changed releases back after a failure.
 */
export type Phase = 'context' | 'plan' | 'rollback' | 'verify' | 'forward' | 'state' | 'restore';

/** The timed parts of an --execute: the rollback, and in a drill the roll forward after it. */
export type Stage = 'rollback' | 'forward';

/** When a release's state was recorded: from the planning reads, or re-read after a stage. */
export type StateMoment = 'before' | 'after-rollback' | 'after-forward';

/** A release as the report's before/after table shows it. */
export interface ReleaseStateRecord {
  /** The newest revision helm reports, or null when it could not be read. */
  readonly revision: HistoryEntry | null;
  /** The release's Deployments with images and readiness, or null when they could not be read. */
  readonly deployments: readonly DeploymentInfo[] | null;
  /** Why something could not be read; null when everything was. */
  readonly problem: string | null;
}

/** Transcript events: a union, one JSON Lines record each (zx-style log entries). */
export type TranscriptEvent =
  | {
      readonly type: 'run-start';
      readonly time: string;
      readonly tool: { readonly name: string; readonly version: string };
      readonly argv: readonly string[];
      readonly user: string;
      readonly host: string;
      readonly cwd: string;
      readonly pid: number;
      readonly mode: 'dry-run' | 'execute';
      readonly targetEnv: string | null;
      readonly context: string | null;
      readonly namespace: string;
      readonly releases: readonly string[];
      readonly timeout: string;
      /** The config file that supplied defaults, if one was read. */
      readonly configFile: string | null;
      /** Present (true) on a --drill run. */
      readonly drill?: boolean;
      /** `--parallel`: releases rolled back at once. */
      readonly parallel: number;
    }
  | {
      /** helm's environment, checked before any command: redirecting variables refuse the run. */
      readonly type: 'environment-check';
      readonly time: string;
      readonly refused: readonly string[];
      readonly overridden: readonly string[];
    }
  | {
      /** The reader of stdout or stderr went away (EPIPE): the run went on without showing more there. */
      readonly type: 'output-closed';
      readonly time: string;
      readonly stream: 'stdout' | 'stderr';
    }
  | { readonly type: 'context-resolved'; readonly time: string; readonly context: string; readonly source: 'kubeconfig' }
  | { readonly type: 'warning'; readonly time: string; readonly message: string }
  | { readonly type: 'plan'; readonly time: string; readonly plan: RollbackPlan }
  | {
      readonly type: 'command-start';
      readonly time: string;
      readonly id: number;
      readonly phase: Phase;
      readonly release: string | null;
      readonly effect: CommandEffect;
      readonly command: string;
      readonly argv: readonly string[];
    }
  | {
      readonly type: 'command-end';
      readonly time: string;
      readonly id: number;
      readonly command: string;
      readonly exitCode: number | null;
      readonly signal: string | null;
      readonly durationMs: number;
      readonly timedOut: boolean;
      readonly spawnError: string | null;
    }
  | {
      /**
       * Output of a running command, written as it arrives in whole lines (output is
       * streamed, not held: a command may print megabytes). Several per command.
       */
      readonly type: 'command-output';
      readonly time: string;
      readonly id: number;
      readonly stream: 'stdout' | 'stderr';
      readonly text: string;
    }
  | {
      /** A write command a dry-run lists instead of running (release-it's `! cmd`). */
      readonly type: 'command-planned';
      readonly time: string;
      readonly release: string;
      readonly effect: CommandEffect;
      readonly command: string;
    }
  | { readonly type: 'confirmation'; readonly time: string; readonly confirmed: boolean; readonly how: 'prompt' | '--yes' }
  | {
      /** --atomic: the phase that puts changed releases back, last changed first. */
      readonly type: 'restore-start';
      readonly time: string;
      readonly reason: string;
      readonly releases: readonly { readonly release: string; readonly to: number }[];
      readonly budget: string;
    }
  | {
      readonly type: 'restore-end';
      readonly time: string;
      readonly ok: boolean;
      readonly releases: readonly RestoreResult[];
      readonly manualCommands: readonly string[];
    }
  | ({ readonly type: 'readiness-check'; readonly time: string } & ReadinessResult)
  | {
      /** --plan-out wrote an approved-plan document, or --plan checked one against the cluster. */
      readonly type: 'plan-document';
      readonly time: string;
      readonly action: 'written' | 'verified';
      readonly path: string;
      readonly sha256: string;
      readonly createdBy: { readonly user: string; readonly host: string };
      readonly createdAt: string;
    }
  | {
      /** --annotate: what was posted to Grafana and how it went (never the token). */
      readonly type: 'annotation';
      readonly time: string;
      readonly url: string;
      readonly ok: boolean;
      readonly status: number | null;
      readonly id: number | null;
      readonly error: string | null;
      readonly tags: readonly string[];
      readonly text: string;
    }
  | {
      readonly type: 'interrupt';
      readonly time: string;
      readonly signal: string;
      readonly count: number;
      readonly action: string;
      /** On a second signal: the children it was forwarded to, as the tool exits at once. */
      readonly forwardedTo?: readonly { readonly pid: number; readonly file: string }[];
    }
  | {
      /** A child outlived its own time by the grace period and was ended. */
      readonly type: 'watchdog';
      readonly time: string;
      readonly id: number;
      readonly command: string;
      readonly allowedMs: number;
      readonly graceMs: number;
      readonly signal: string | null;
      readonly message: string;
    }
  | {
      /** A timed stage begins or ends; `budgetMs` is the objective (--timeout) it is measured against. */
      readonly type: 'stage';
      readonly time: string;
      readonly stage: Stage;
      readonly status: 'start' | 'end';
      readonly budgetMs: number;
      /** On `end`: time since the stage started; whether every release in it ended healthy. */
      readonly elapsedMs?: number;
      readonly ok?: boolean;
    }
  | {
      /** How one release fared in a stage, with its time to healthy (first write to last rollout verified). */
      readonly type: 'release-result';
      readonly time: string;
      readonly stage: Stage;
      readonly release: string;
      readonly result: string;
      readonly from: number;
      readonly to: number;
      readonly durationMs: number;
      readonly healthy: boolean;
      readonly reason: string | null;
      /** The `kubectl get pods -o wide` listing taken after the rollouts, or null. */
      readonly pods: string | null;
    }
  | ({ readonly type: 'release-state'; readonly time: string; readonly moment: StateMoment; readonly release: string } & ReleaseStateRecord)
  | {
      readonly type: 'outcome';
      readonly time: string;
      readonly status: string;
      readonly exitCode: number;
      readonly message: string;
      /** The failure's detail lines (e.g. one per refused release), when there were any. */
      readonly details?: readonly string[];
      readonly durationMs: number;
      readonly releases: readonly { readonly release: string; readonly result: string; readonly from?: number; readonly to?: number }[];
      readonly restoreCommands: readonly string[];
    };

export type TranscriptEventType = TranscriptEvent['type'];
