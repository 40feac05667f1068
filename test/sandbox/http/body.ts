import type { IncomingMessage } from 'node:http';
import { badRequest } from '../kube/errors.js';
import { isObject } from '../kube/json.js';
import type { KObject } from '../kube/types.js';
import { decodeProtobuf, isProtobuf } from '../protobuf/decode.js';

export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A request body as JSON: `application/json` (kubectl, helm's object writes) or protobuf (helm's
 * release Secret writes). Patches (`*-patch+json`, `apply-patch+yaml`) are JSON too: helm 4
 * sends its server-side-apply configuration as JSON, which is valid YAML.
 */
export function parseBody(body: Buffer, contentType: string): unknown {
  if (body.length === 0) return undefined;
  if (isProtobuf(contentType)) return decodeProtobuf(body);
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw badRequest(`cannot decode ${contentType || 'request'} body as JSON (YAML bodies are not supported)`);
  }
}

export function asObject(v: unknown): KObject {
  if (!isObject(v) || !isObject(v.metadata)) throw badRequest('request body must be an object with metadata');
  return v as KObject;
}
