import * as z from 'zod/mini';
import type { DeepReadonly } from './readonly.js';

/**
 * The words a run is described in, declared once: the planner, the executor, the
 * transcript, the report and every view use these. Each is a zod schema (the
 * transcript reader validates with it) and a type inferred from it.
 */

/** Whether a command can change the cluster: the gate refuses writes during a dry-run. */
export const commandEffect = z.enum(['read', 'write']);
export type CommandEffect = z.infer<typeof commandEffect>;

export const runMode = z.enum(['dry-run', 'execute']);
export type RunMode = z.infer<typeof runMode>;

/**
 * Where in the run a command belongs: the transcript groups commands by phase.
 * `forward` is a drill's roll forward; `state` the reads that record where a release stands;
 * `restore` is --atomic putting changed releases back after a failure.
 */
export const phase = z.enum(['context', 'plan', 'rollback', 'verify', 'forward', 'state', 'restore']);
export type Phase = z.infer<typeof phase>;

/** The timed parts of an --execute: the rollback, and in a drill the roll forward after it. */
export const stage = z.enum(['rollback', 'forward']);
export type Stage = z.infer<typeof stage>;

/** When a release's state was recorded: from the planning reads, or re-read after a stage. */
export const stateMoment = z.enum(['before', 'after-rollback', 'after-forward']);
export type StateMoment = z.infer<typeof stateMoment>;

/**
 * How one release's rollback ended (`interrupted`: helm rollback finished, then the run stopped
 * before verifying; `lost-race`: another run rolled it back first, this one wrote nothing;
 * `already-*`: no write was needed, see docs/target-rule.md).
 */
export const rollbackResult = z.enum([
  'rolled-back',
  'rollback-failed',
  'unhealthy',
  'interrupted',
  'not-started',
  'lost-race',
  'skipped',
  'already-rolled-back',
  'already-applied',
]);
export type RollbackResultKind = z.infer<typeof rollbackResult>;

/** How one release's roll forward (a drill's second stage) ended. */
export const forwardResult = z.enum(['rolled-forward', 'forward-failed', 'unhealthy', 'not-started']);
export type ForwardResultKind = z.infer<typeof forwardResult>;

/** How --atomic's restore of one release ended. */
export const restoreResult = z.enum(['restored', 'restore-failed']);
export type RestoreResultKind = z.infer<typeof restoreResult>;

/** A release's result in any stage: what a `release-result` event carries. */
export const stageResult = z.enum([...rollbackResult.options, ...forwardResult.options]);
export type StageResult = z.infer<typeof stageResult>;

/**
 * How a run ended, for every output (JSON, transcript, job summary, Grafana, action).
 * `forward-*`: a drill whose rollback went well but whose roll forward did not.
 */
export const outcomeStatus = z.enum([
  'planned',
  'rolled-back',
  'drilled',
  'refused',
  'plan-refused',
  'rollback-failed',
  'unhealthy',
  'restore-failed',
  'forward-failed',
  'forward-unhealthy',
  'interrupted',
  'error',
]);
export type OutcomeStatus = z.infer<typeof outcomeStatus>;

const int = () => z.number().check(z.int());

export const releaseResultSchema = z.discriminatedUnion('result', [
  z.object({ release: z.string(), result: z.literal('rolled-back'), from: int(), to: int(), pods: z.nullable(z.string()) }),
  z.object({ release: z.string(), result: z.enum(['rollback-failed', 'unhealthy', 'interrupted']), from: int(), to: int(), reason: z.string() }),
  z.object({ release: z.string(), result: z.literal('not-started'), from: int(), to: int() }),
  /** Another run rolled the release back first; this run wrote nothing to it. */
  z.object({ release: z.string(), result: z.literal('lost-race'), from: int(), to: int(), reason: z.string() }),
  z.object({ release: z.string(), result: z.literal('skipped'), reason: z.string() }),
  /** No write was needed: rolled back before this run (or, with --plan, by this very plan). */
  z.object({ release: z.string(), result: z.enum(['already-rolled-back', 'already-applied']), revision: int(), reason: z.string() }),
]);
/** How one release's rollback ended, with what the summary and the JSON document show. */
export type ReleaseResult = DeepReadonly<z.infer<typeof releaseResultSchema>>;

export const forwardResultSchema = z.discriminatedUnion('result', [
  z.object({ release: z.string(), result: z.literal('rolled-forward'), from: int(), to: int(), pods: z.nullable(z.string()) }),
  z.object({ release: z.string(), result: z.enum(['forward-failed', 'unhealthy', 'not-started']), from: int(), to: int(), reason: z.string() }),
]);
/** A drill's roll forward of one release: `from` is the rollback target, `to` the revision before the drill. */
export type ForwardResult = DeepReadonly<z.infer<typeof forwardResultSchema>>;

export const restoreResultSchema = z.discriminatedUnion('result', [
  z.object({ release: z.string(), result: z.literal('restored'), to: int() }),
  z.object({ release: z.string(), result: z.literal('restore-failed'), to: int(), reason: z.string() }),
]);
export type RestoreResult = DeepReadonly<z.infer<typeof restoreResultSchema>>;

/** What one `--check-url` did: for the summary, the transcript and the JSON document. */
export const readinessResultSchema = z.object({
  url: z.string(),
  ok: z.boolean(),
  attempts: int(),
  /** The last HTTP status seen, or null when no response came (refused, timed out). */
  lastStatus: z.nullable(int()),
  lastError: z.nullable(z.string()),
  durationMs: z.number(),
});
export type ReadinessResult = DeepReadonly<z.infer<typeof readinessResultSchema>>;
