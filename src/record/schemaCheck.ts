import * as z from 'zod/mini';
import { eventSchemas } from '../report/transcriptSchema.js';
import { SHA256_HEX } from './chain.js';
import type { EventCheck } from './verify.js';

/** The seal is strict: an extra field would be a byte no check covers. */
const sealSchema = z.strictObject({ type: z.literal('seal'), digest: z.string().check(z.regex(SHA256_HEX)) });

const time = z.string().check(z.minLength(1));
const int = z.number().check(z.int());

/** Events the report does not read (yet), with the shape src/output/events.ts gives them. */
const recordOnly = {
  'command-output': z.object({ type: z.literal('command-output'), time, id: int, stream: z.enum(['stdout', 'stderr']), text: z.string() }),
  'restore-start': z.object({ type: z.literal('restore-start'), time, reason: z.string(), releases: z.array(z.object({ release: z.string(), to: int })), budget: z.string() }),
  'restore-end': z.object({ type: z.literal('restore-end'), time, ok: z.boolean(), releases: z.array(z.object({ release: z.string() })), manualCommands: z.array(z.string()) }),
  'readiness-check': z.object({ type: z.literal('readiness-check'), time, url: z.string(), ok: z.boolean(), attempts: int }),
  'plan-document': z.object({ type: z.literal('plan-document'), time, action: z.enum(['written', 'verified']), path: z.string(), sha256: z.string() }),
  annotation: z.object({ type: z.literal('annotation'), time, url: z.string(), ok: z.boolean(), text: z.string() }),
  watchdog: z.object({ type: z.literal('watchdog'), time, id: int, command: z.string(), message: z.string() }),
};

const schemas: Record<string, z.ZodMiniType | undefined> = { ...eventSchemas, ...recordOnly, seal: sealSchema };

/** Every event of a verified transcript must be of a known type and have its shape. */
export const checkEvent: EventCheck = (event) => {
  const type = event.type;
  if (typeof type !== 'string') return 'no "type"';
  const schema = schemas[type];
  if (schema === undefined) return `unknown event type "${type}"`;
  const parsed = schema.safeParse(event);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return issue === undefined ? 'unexpected shape' : `${issue.path.join('.') || '(top level)'}: ${issue.message}`;
};
