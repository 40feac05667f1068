import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { usageError } from '../../domain/errors.js';
import { parsePlanDocument, type PlanDocument } from './planDocument.js';

/** `--plan <file>`: read and validated before anything else runs (a bad file is a usage error, exit 2). */
export function loadPlanFile(path: string, cwd: string): { path: string; document: PlanDocument; sha256: string } {
  if (path === '') throw usageError('--plan needs a path');
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (error) {
    throw usageError(`--plan ${path}: cannot read it: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const parsed = parsePlanDocument(text);
  if (!parsed.ok) throw usageError(`--plan ${path} ${parsed.problem}`);
  return { path, document: parsed.document, sha256: createHash('sha256').update(text).digest('hex') };
}
