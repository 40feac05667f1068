import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

describe('docs/playground.md', () => {
  it('lists every scenario file with its own description', () => {
    const doc = readFileSync(resolve(ROOT, 'docs/playground.md'), 'utf8');
    const dir = resolve(ROOT, 'test/sandbox/scenarios');
    const files = readdirSync(dir).filter((name) => name.endsWith('.json'));
    expect(files.length).toBeGreaterThan(5);
    for (const file of files) {
      const { description } = JSON.parse(readFileSync(resolve(dir, file), 'utf8')) as { description: string };
      expect(doc).toContain(`| \`${file}\` | ${description} |`);
    }
  });
});
