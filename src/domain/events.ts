import * as z from 'zod/mini';
import './zodMessages.js';
import { deploymentSchema, historyEntrySchema, rollbackPlanSchema } from './plan.js';
import type { DeepReadonly } from './readonly.js';
import { ciIdentitySchema, toolIdentitySchema } from './identity.js';
import {
  commandEffect,
  outcomeStatus,
  phase,
  readinessResultSchema,
  restoreResultSchema,
  rollbackResult,
  runMode,
  stage,
  stageResult,
  stateMoment,
} from './vocabulary.js';

/**
 * The run's events: one schema, the only declaration of what a run records. The
 * transcript writer writes these (one JSON Lines record each, or a text log line),
 * the report reads them back through the same schema, and every output is a view
 * of them.
 *
 * Objects are not strict: a reader ignores fields it does not know, so an envelope
 * the writer adds around each event (a sequence number, a hash chain) does not
 * change what the event is. Fields marked "absent in older transcripts" are
 * optional only so that archived records stay readable; the writer always sets them.
 */
const time = z.string().check(z.minLength(1));
const int = () => z.number().check(z.int());

const event = <T extends string, S extends z.core.$ZodLooseShape>(type: T, shape: S) => z.object({ type: z.literal(type), time, ...shape });

export const eventSchemas = {
  'run-start': event('run-start', {
    tool: z.object({ name: z.string(), version: z.string() }),
    argv: z.array(z.string()),
    user: z.string(),
    host: z.string(),
    /** Absent in older transcripts. */
    cwd: z.optional(z.string()),
    pid: z.optional(int()),
    mode: runMode,
    targetEnv: z.nullable(z.string()),
    context: z.nullable(z.string()),
    namespace: z.string(),
    releases: z.array(z.string()),
    timeout: z.string(),
    /** The config file that supplied defaults, if one was read (absent in older transcripts). */
    configFile: z.optional(z.nullable(z.string())),
    /** Present (true) on a --drill run. */
    drill: z.optional(z.boolean()),
    /** `--parallel`: releases rolled back at once (absent in older transcripts). */
    parallel: z.optional(int()),
    /** Where TARGET_ENV came from: flag, env, file or unset, and which one (absent in older transcripts). */
    targetEnvSource: z.optional(z.object({ source: z.string(), from: z.nullable(z.string()) })),
    /** The helm and kubectl binaries run and the kubeconfig context written to (absent in older transcripts). */
    identity: z.optional(toolIdentitySchema),
    /** The CI job running the tool, or null outside CI (absent in older transcripts). */
    ci: z.optional(z.nullable(ciIdentitySchema)),
  }),
  /** helm's environment, checked before any command: redirecting variables refuse the run. */
  'environment-check': event('environment-check', { refused: z.array(z.string()), overridden: z.array(z.string()) }),
  /** The reader of stdout or stderr went away (EPIPE): the run went on without showing more there. */
  'output-closed': event('output-closed', { stream: z.enum(['stdout', 'stderr']) }),
  'context-resolved': event('context-resolved', { context: z.string(), source: z.optional(z.literal('kubeconfig')) }),
  warning: event('warning', { message: z.string() }),
  plan: event('plan', { plan: rollbackPlanSchema }),
  'command-start': event('command-start', {
    id: int(),
    phase,
    release: z.nullable(z.string()),
    effect: commandEffect,
    command: z.string(),
    /** Absent in older transcripts. */
    argv: z.optional(z.array(z.string())),
  }),
  'command-end': event('command-end', {
    id: int(),
    /** Absent in older transcripts. */
    command: z.optional(z.string()),
    exitCode: z.nullable(int()),
    signal: z.nullable(z.string()),
    durationMs: z.number(),
    timedOut: z.boolean(),
    spawnError: z.nullable(z.string()),
    /** Output streams in command-output events; older transcripts carry it here. */
    stdout: z.optional(z.string()),
    stderr: z.optional(z.string()),
  }),
  /**
   * Output of a running command, written as it arrives in whole lines (output is
   * streamed, not held: a command may print megabytes). Several per command.
   */
  'command-output': event('command-output', { id: int(), stream: z.enum(['stdout', 'stderr']), text: z.string() }),
  /** A write command a dry-run lists instead of running (release-it's `! cmd`). */
  'command-planned': event('command-planned', { release: z.string(), effect: commandEffect, command: z.string() }),
  confirmation: event('confirmation', { confirmed: z.boolean(), how: z.enum(['prompt', '--yes']) }),
  /** --atomic: the phase that puts changed releases back, last changed first. */
  'restore-start': event('restore-start', {
    reason: z.string(),
    releases: z.array(z.object({ release: z.string(), to: int() })),
    budget: z.string(),
  }),
  'restore-end': event('restore-end', { ok: z.boolean(), releases: z.array(restoreResultSchema), manualCommands: z.array(z.string()) }),
  'readiness-check': z.extend(readinessResultSchema, { type: z.literal('readiness-check'), time }),
  /** --plan-out wrote an approved-plan document, or --plan checked one against the cluster. */
  'plan-document': event('plan-document', {
    action: z.enum(['written', 'verified']),
    path: z.string(),
    sha256: z.string(),
    createdBy: z.object({ user: z.string(), host: z.string() }),
    createdAt: z.string(),
  }),
  /** --annotate: what was posted to Grafana and how it went (never the token). */
  annotation: event('annotation', {
    url: z.string(),
    ok: z.boolean(),
    status: z.nullable(int()),
    id: z.nullable(int()),
    error: z.nullable(z.string()),
    tags: z.array(z.string()),
    text: z.string(),
  }),
  interrupt: event('interrupt', {
    signal: z.string(),
    count: int(),
    action: z.string(),
    /** On a second signal: the children it was forwarded to, as the tool exits at once. */
    forwardedTo: z.optional(z.array(z.object({ pid: int(), file: z.string() }))),
  }),
  /** A child outlived its own time by the grace period and was ended. */
  watchdog: event('watchdog', {
    id: int(),
    command: z.string(),
    allowedMs: z.number(),
    graceMs: z.number(),
    signal: z.nullable(z.string()),
    message: z.string(),
  }),
  /** A timed stage begins or ends; `budgetMs` is the objective (--timeout) it is measured against. */
  stage: event('stage', {
    stage,
    status: z.enum(['start', 'end']),
    budgetMs: z.number(),
    /** On `end`: time since the stage started; whether every release in it ended healthy. */
    elapsedMs: z.optional(z.number()),
    ok: z.optional(z.boolean()),
  }),
  /** How one release fared in a stage, with its time to healthy (first write to last rollout verified). */
  'release-result': event('release-result', {
    stage,
    release: z.string(),
    result: stageResult,
    from: int(),
    to: int(),
    durationMs: z.number(),
    healthy: z.boolean(),
    reason: z.nullable(z.string()),
    /** The `kubectl get pods -o wide` listing taken after the rollouts, or null. */
    pods: z.nullable(z.string()),
  }),
  /** A release as the report's before/after table shows it. */
  'release-state': event('release-state', {
    moment: stateMoment,
    release: z.string(),
    /** The newest revision helm reports, or null when it could not be read. */
    revision: z.nullable(historyEntrySchema),
    /** The release's workloads (Deployments, StatefulSets, DaemonSets, each with its kind) with images and readiness, or null when they could not be read. */
    deployments: z.nullable(z.array(deploymentSchema)),
    /** Why something could not be read; null when everything was. */
    problem: z.nullable(z.string()),
  }),
  outcome: event('outcome', {
    status: outcomeStatus,
    exitCode: int(),
    message: z.string(),
    /** The failure's detail lines (e.g. one per refused release), when there were any. */
    details: z.optional(z.array(z.string())),
    durationMs: z.number(),
    releases: z.array(z.object({ release: z.string(), result: rollbackResult, from: z.optional(int()), to: z.optional(int()) })),
    restoreCommands: z.array(z.string()),
  }),
} as const;

/**
 * The last line of a sealed run (src/record/chain.ts): the sha256 of every byte of the
 * record before it. Not a run event: the record's writer adds it. Strict and without a
 * time, so that no byte of the one line no later `prev` covers can change unnoticed.
 */
export const sealSchema = z.strictObject({ type: z.literal('seal'), digest: z.string().check(z.regex(/^[0-9a-f]{64}$/)) });

type Schemas = typeof eventSchemas;
export type TranscriptEventType = keyof Schemas;
/** One event of the given type, as written and as read. */
export type EventOf<K extends TranscriptEventType> = DeepReadonly<z.infer<Schemas[K]>>;
export type TranscriptEvent = { [K in TranscriptEventType]: EventOf<K> }[TranscriptEventType];

/** A release as the report's before/after table shows it. */
export type ReleaseStateRecord = Pick<EventOf<'release-state'>, 'revision' | 'deployments' | 'problem'>;

export const TRANSCRIPT_EVENT_TYPES = Object.keys(eventSchemas) as TranscriptEventType[];

export function isEventType(type: string): type is TranscriptEventType {
  return Object.hasOwn(eventSchemas, type);
}

/** Where a run's events go: the transcript writer, a test's list, several at once. */
export interface EventSink {
  record(event: TranscriptEvent): void;
}
