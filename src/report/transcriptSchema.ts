import * as z from 'zod/mini';
import '../util/zodMessages.js';

/**
 * The JSON Lines transcript as the report reads it back. Validated, not trusted: a
 * transcript is an archived file that may be truncated (a killed run), hand-edited
 * or written by another version. Events of a type this version does not know are
 * skipped; known ones must have the shape src/output/events.ts writes.
 */
const time = z.string().check(z.minLength(1));

const historyEntry = z.object({
  revision: z.number().check(z.int()),
  updated: z.optional(z.string()),
  status: z.string(),
  chart: z.string(),
  appVersion: z.string(),
  description: z.optional(z.string()),
});

const deployment = z.object({
  name: z.string(),
  images: z.array(z.string()),
  replicas: z.optional(z.number().check(z.int())),
  readyReplicas: z.optional(z.number().check(z.int())),
});

const passedOver = z.object({ revision: z.number().check(z.int()), status: z.string(), reason: z.string() });

const releasePlan = z.discriminatedUnion('action', [
  z.object({
    release: z.string(),
    action: z.literal('rollback'),
    current: historyEntry,
    target: historyEntry,
    pinned: z.boolean(),
    passedOver: z.array(passedOver),
    deployments: z.array(deployment),
    warnings: z.array(z.string()),
  }),
  z.object({ release: z.string(), action: z.literal('skip'), reason: z.string(), current: z.optional(historyEntry) }),
  z.object({ release: z.string(), action: z.literal('already-rolled-back'), current: historyEntry, rolledBackTo: z.number().check(z.int()) }),
  z.object({ release: z.string(), action: z.literal('already-applied'), current: historyEntry, target: z.number().check(z.int()) }),
]);

const stage = z.enum(['rollback', 'forward']);

export const eventSchemas = {
  'run-start': z.object({
    type: z.literal('run-start'),
    time,
    tool: z.object({ name: z.string(), version: z.string() }),
    argv: z.array(z.string()),
    user: z.string(),
    host: z.string(),
    mode: z.enum(['dry-run', 'execute']),
    targetEnv: z.nullable(z.string()),
    context: z.nullable(z.string()),
    namespace: z.string(),
    releases: z.array(z.string()),
    timeout: z.string(),
    drill: z.optional(z.boolean()),
  }),
  'context-resolved': z.object({ type: z.literal('context-resolved'), time, context: z.string() }),
  warning: z.object({ type: z.literal('warning'), time, message: z.string() }),
  plan: z.object({
    type: z.literal('plan'),
    time,
    plan: z.object({ context: z.string(), namespace: z.string(), releases: z.array(releasePlan) }),
  }),
  'command-start': z.object({
    type: z.literal('command-start'),
    time,
    id: z.number().check(z.int()),
    phase: z.string(),
    release: z.nullable(z.string()),
    effect: z.enum(['read', 'write']),
    command: z.string(),
  }),
  'command-end': z.object({
    type: z.literal('command-end'),
    time,
    id: z.number().check(z.int()),
    exitCode: z.nullable(z.number().check(z.int())),
    signal: z.nullable(z.string()),
    durationMs: z.number(),
    timedOut: z.boolean(),
    spawnError: z.nullable(z.string()),
    // Output now streams in command-output events; transcripts from before carry it here.
    stdout: z.optional(z.string()),
    stderr: z.optional(z.string()),
  }),
  'command-planned': z.object({ type: z.literal('command-planned'), time, release: z.string(), effect: z.enum(['read', 'write']), command: z.string() }),
  confirmation: z.object({ type: z.literal('confirmation'), time, confirmed: z.boolean(), how: z.string() }),
  interrupt: z.object({ type: z.literal('interrupt'), time, signal: z.string(), count: z.number(), action: z.string() }),
  stage: z.object({
    type: z.literal('stage'),
    time,
    stage,
    status: z.enum(['start', 'end']),
    budgetMs: z.number(),
    elapsedMs: z.optional(z.number()),
    ok: z.optional(z.boolean()),
  }),
  'release-result': z.object({
    type: z.literal('release-result'),
    time,
    stage,
    release: z.string(),
    result: z.string(),
    from: z.number().check(z.int()),
    to: z.number().check(z.int()),
    durationMs: z.number(),
    healthy: z.boolean(),
    reason: z.nullable(z.string()),
    pods: z.nullable(z.string()),
  }),
  'release-state': z.object({
    type: z.literal('release-state'),
    time,
    moment: z.enum(['before', 'after-rollback', 'after-forward']),
    release: z.string(),
    revision: z.nullable(historyEntry),
    deployments: z.nullable(z.array(deployment)),
    problem: z.nullable(z.string()),
  }),
  outcome: z.object({
    type: z.literal('outcome'),
    time,
    status: z.string(),
    exitCode: z.number().check(z.int()),
    message: z.string(),
    durationMs: z.number(),
    details: z.optional(z.array(z.string())),
    releases: z.array(z.object({ release: z.string(), result: z.string(), from: z.optional(z.number()), to: z.optional(z.number()) })),
    restoreCommands: z.array(z.string()),
  }),
} as const;

type Schemas = typeof eventSchemas;
export type ReadEvent = { [K in keyof Schemas]: z.infer<Schemas[K]> }[keyof Schemas];
export type EventOf<K extends keyof Schemas> = z.infer<Schemas[K]>;
export type ReadPlanRelease = z.infer<typeof releasePlan>;
export type ReadDeployment = z.infer<typeof deployment>;
export type ReadHistoryEntry = z.infer<typeof historyEntry>;

const envelope = z.object({ type: z.string() });

export class TranscriptError extends Error {}

/**
 * Parses a JSON Lines transcript. A blank last line is fine; a line that is not
 * JSON is an error naming the line, except a torn last line (the run was killed
 * mid-write), which is dropped and reported as `truncated`.
 */
export function parseTranscript(text: string): { events: ReadEvent[]; truncated: boolean; skippedTypes: string[] } {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  const events: ReadEvent[] = [];
  const skipped = new Set<string>();
  let truncated = false;
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (index === lines.length - 1 && events.length > 0) {
        truncated = true;
        continue;
      }
      throw new TranscriptError(`line ${index + 1} is not JSON: ${line.slice(0, 80)}`);
    }
    const head = envelope.safeParse(value);
    if (!head.success) throw new TranscriptError(`line ${index + 1} is not a transcript event (no "type")`);
    const schema = (eventSchemas as Record<string, z.ZodMiniType<ReadEvent> | undefined>)[head.data.type];
    if (schema === undefined) {
      skipped.add(head.data.type);
      continue;
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TranscriptError(
        `line ${index + 1} (${head.data.type}): ${issue === undefined ? 'unexpected shape' : `${issue.path.join('.') || '(top level)'}: ${issue.message}`}`,
      );
    }
    events.push(parsed.data);
  }
  if (!events.some((e) => e.type === 'run-start')) throw new TranscriptError('holds no run (no run-start event): is it a videokit-rollback JSON Lines transcript?');
  return { events, truncated, skippedTypes: [...skipped] };
}
