import type { CommandEffect } from '../commands/spec.js';
import type { RollbackPlan } from '../plan/types.js';

/** Where in the run a command belongs: the transcript groups commands by phase. */
export type Phase = 'context' | 'plan' | 'rollback' | 'verify';

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
      readonly stdout: string;
      readonly stderr: string;
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
  | { readonly type: 'interrupt'; readonly time: string; readonly signal: string; readonly count: number; readonly action: string }
  | {
      readonly type: 'outcome';
      readonly time: string;
      readonly status: string;
      readonly exitCode: number;
      readonly message: string;
      readonly durationMs: number;
      readonly releases: readonly { readonly release: string; readonly result: string; readonly from?: number; readonly to?: number }[];
      readonly restoreCommands: readonly string[];
    };

export type TranscriptEventType = TranscriptEvent['type'];
