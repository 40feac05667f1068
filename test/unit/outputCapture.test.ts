import { describe, expect, it } from 'vitest';
import { captureStream } from '../../src/run/outputCapture.js';

function collect(keepChars: number, chunks: Buffer[]) {
  const passed: string[] = [];
  const capture = captureStream('stdout', keepChars, (stream, text) => {
    expect(stream).toBe('stdout');
    passed.push(text);
  });
  for (const chunk of chunks) capture.push(chunk);
  return { ...capture.end(), passed };
}

describe('captureStream', () => {
  it('passes output on in whole lines as it arrives, the unterminated rest at the end', () => {
    const { kept, omittedBytes, passed } = collect(1000, [Buffer.from('Waiting for deploy'), Buffer.from('ment "api"...\nWaiting'), Buffer.from(' again\ndone')]);
    expect(passed).toEqual(['Waiting for deployment "api"...\n', 'Waiting again\n', 'done']);
    expect(kept).toBe('Waiting for deployment "api"...\nWaiting again\ndone');
    expect(omittedBytes).toBe(0);
  });

  it('never splits a UTF-8 character across chunks', () => {
    const bytes = Buffer.from('pod “api-0” prêt\n');
    const { kept, passed } = collect(1000, [...bytes].map((b) => Buffer.from([b])));
    expect(kept).toBe('pod “api-0” prêt\n');
    expect(passed.join('')).toBe('pod “api-0” prêt\n');
  });

  it('keeps only the first keepChars in memory but passes everything on, and counts what was not kept', () => {
    const line = 'Waiting for deployment "api" rollout to finish: 1 of 3 updated replicas are available...\n';
    const chunks = Array.from({ length: 2000 }, () => Buffer.from(line));
    const { kept, omittedBytes, passed } = collect(4096, chunks);
    expect(kept).toBe(line.repeat(2000).slice(0, 4096));
    expect(omittedBytes).toBe(line.length * 2000 - 4096);
    expect(passed.join('')).toBe(line.repeat(2000));
  });

  it('does not hold back a long line without newline indefinitely', () => {
    const { passed } = collect(10, [Buffer.from('x'.repeat(70 * 1024)), Buffer.from('y\n')]);
    expect(passed[0]).toBe('x'.repeat(70 * 1024));
    expect(passed.join('')).toBe(`${'x'.repeat(70 * 1024)}y\n`);
  });
});
