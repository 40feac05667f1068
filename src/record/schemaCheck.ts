import * as z from 'zod/mini';
import { eventSchemas, sealSchema } from '../domain/events.js';
import type { EventCheck } from './verify.js';

const schemas: Record<string, z.ZodMiniType | undefined> = { ...eventSchemas, seal: sealSchema };

/** Every line of a verified record must be an event of a known type, with its shape. */
export const checkEvent: EventCheck = (event) => {
  const type = event.type;
  if (typeof type !== 'string') return 'no "type"';
  const schema = Object.hasOwn(schemas, type) ? schemas[type] : undefined;
  if (schema === undefined) return `unknown event type ${JSON.stringify(type).slice(0, 80)}`;
  const parsed = schema.safeParse(event);
  if (parsed.success) return undefined;
  const issue = parsed.error.issues[0];
  return issue === undefined ? 'unexpected shape' : `${issue.path.join('.') || '(top level)'}: ${issue.message}`;
};
