import * as z from 'zod/mini';
import { eventSchemas, isEventType, type TranscriptEvent } from '../../domain/events.js';

/**
 * The JSON Lines transcript as the report reads it back, through the one event schema
 * the writer writes (src/domain/events.ts). Validated, not trusted: a transcript is an
 * archived file that may be truncated (a killed run), hand-edited or written by another
 * version. Events of a type this version does not know are skipped.
 */
const envelope = z.object({ type: z.string() });

export class TranscriptError extends Error {}

/**
 * Parses a JSON Lines transcript. A blank last line is fine; a line that is not
 * JSON is an error naming the line, except a torn last line (the run was killed
 * mid-write), which is dropped and reported as `truncated`.
 */
export function parseTranscript(text: string): { events: TranscriptEvent[]; truncated: boolean; skippedTypes: string[] } {
  const lines = text.split('\n');
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  const events: TranscriptEvent[] = [];
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
    if (!isEventType(head.data.type)) {
      skipped.add(head.data.type);
      continue;
    }
    const parsed = (eventSchemas[head.data.type] as z.ZodMiniType<TranscriptEvent>).safeParse(value);
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
