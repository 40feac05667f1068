import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { usageError } from '../../domain/errors.js';
import type { PlanDocument } from './planDocument.js';

/**
 * Writes the plan document whole or not at all (temporary file, then rename), so an
 * approver never reviews half a plan. Returns its path and the sha256 of its bytes,
 * which the transcript records so the approved file can be matched later.
 */
export function writePlanFile(path: string, cwd: string, document: PlanDocument): { path: string; sha256: string } {
  const absolute = resolve(cwd, path);
  const text = `${JSON.stringify(document, null, 2)}\n`;
  try {
    mkdirSync(dirname(absolute), { recursive: true });
    const temporary = `${absolute}.${process.pid}.tmp`;
    writeFileSync(temporary, text, { mode: 0o644 });
    renameSync(temporary, absolute);
  } catch (error) {
    throw usageError(`--plan-out ${path}: cannot write it: ${(error as Error).message}`);
  }
  return { path: absolute, sha256: createHash('sha256').update(text).digest('hex') };
}
