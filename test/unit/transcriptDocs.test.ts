import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRANSCRIPT_EVENT_TYPES } from '../../src/domain/events.js';
import { EVENT_DOCS, transcriptPage } from '../../scripts/transcript-docs.js';

describe('docs/transcript.md', () => {
  it('describes every event type of the schema, and nothing else', () => {
    expect(Object.keys(EVENT_DOCS).sort()).toEqual([...TRANSCRIPT_EVENT_TYPES].sort());
  });

  it('is what scripts/transcript-docs.ts generates from the schema now (run it after changing the schema)', () => {
    const page = readFileSync(resolve(import.meta.dirname, '../../docs/transcript.md'), 'utf8');
    expect(page).toBe(transcriptPage(page));
  });
});
