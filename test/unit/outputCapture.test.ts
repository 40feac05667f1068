import { describe, expect, it } from 'vitest';
import { captureStream, utf8SafeEnd, type KeepOutput } from '../../src/process/outputCapture.js';

const head = (chars: number): KeepOutput => ({ from: 'head', chars });
const tail = (chars: number): KeepOutput => ({ from: 'tail', chars });

function collect(keep: KeepOutput, chunks: Buffer[]) {
  const passed: string[] = [];
  const capture = captureStream('stdout', keep, (stream, text) => {
    expect(stream).toBe('stdout');
    passed.push(text);
  });
  for (const chunk of chunks) capture.push(chunk);
  return { ...capture.end(), passed };
}

describe('captureStream', () => {
  it('passes output on in whole lines as it arrives, the unterminated rest at the end', () => {
    const { kept, omittedBytes, passed } = collect(head(1000), [Buffer.from('Waiting for deploy'), Buffer.from('ment "api"...\nWaiting'), Buffer.from(' again\ndone')]);
    expect(passed).toEqual(['Waiting for deployment "api"...\n', 'Waiting again\n', 'done']);
    expect(kept).toBe('Waiting for deployment "api"...\nWaiting again\ndone');
    expect(omittedBytes).toBe(0);
  });

  it('never splits a UTF-8 character across chunks', () => {
    const bytes = Buffer.from('pod “api-0” prêt\n');
    const { kept, passed } = collect(head(1000), [...bytes].map((b) => Buffer.from([b])));
    expect(kept).toBe('pod “api-0” prêt\n');
    expect(passed.join('')).toBe('pod “api-0” prêt\n');
  });

  it('keeps only the first `chars` in memory but passes everything on, and counts what was not kept', () => {
    const line = 'Waiting for deployment "api" rollout to finish: 1 of 3 updated replicas are available...\n';
    const chunks = Array.from({ length: 2000 }, () => Buffer.from(line));
    const { kept, omittedBytes, passed } = collect(head(4096), chunks);
    expect(kept).toBe(line.repeat(2000).slice(0, 4096));
    expect(omittedBytes).toBe(line.length * 2000 - 4096);
    expect(passed.join('')).toBe(line.repeat(2000));
  });

  it('does not hold back a long line without newline indefinitely', () => {
    const { passed } = collect(head(10), [Buffer.from('x'.repeat(70 * 1024)), Buffer.from('y\n')]);
    expect(passed[0]).toBe('x'.repeat(70 * 1024));
    expect(passed.join('')).toBe(`${'x'.repeat(70 * 1024)}y\n`);
  });

  it('keeps the first `chars` exactly when the output is that long, and counts nothing as omitted', () => {
    const { kept, omittedBytes } = collect(head(12), [Buffer.from('0123456'), Buffer.from('789ab\n')]);
    expect(kept).toBe('0123456789ab');
    expect(omittedBytes).toBe(1);
  });

  it('tail: keeps the last lines, starting at a whole line, and counts the bytes before them', () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `Waiting for deployment "api" rollout to finish: ${i} of 3000 updated replicas are available...\n`);
    const output = `${lines.join('')}deployment "api" successfully rolled out\n`;
    const chunks = output.match(/[\s\S]{1,4000}/g)!.map((piece) => Buffer.from(piece));
    const { kept, omittedBytes, passed } = collect(tail(8192), chunks);
    expect(passed.join('')).toBe(output);
    expect(kept.length).toBeLessThanOrEqual(8192);
    expect(kept.length).toBeGreaterThan(8192 - lines[2999]!.length);
    expect(output.endsWith(kept)).toBe(true);
    expect(kept.endsWith('deployment "api" successfully rolled out\n')).toBe(true);
    expect(output.at(-kept.length - 1)).toBe('\n');
    expect(omittedBytes).toBe(output.length - kept.length);
  });

  it('tail: output shorter than the limit is kept whole, nothing omitted', () => {
    const { kept, omittedBytes } = collect(tail(8192), [Buffer.from('Waiting…\n'), Buffer.from('done\n')]);
    expect(kept).toBe('Waiting…\ndone\n');
    expect(omittedBytes).toBe(0);
  });

  it('tail: counts omitted bytes in UTF-8, not characters', () => {
    const line = 'pod “api” prêt\n';
    const { kept, omittedBytes } = collect(tail(2 * line.length), Array.from({ length: 10 }, () => Buffer.from(line)));
    expect(kept).toBe(line.repeat(2));
    expect(omittedBytes).toBe(Buffer.byteLength(line) * 8);
  });

  it('passes a long line of multi-byte characters on in pieces that never split a character', () => {
    const text = `${'€'.repeat(50_000)}\n`;
    const bytes = Buffer.from(text);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 4099) }, (_, i) => bytes.subarray(i * 4099, (i + 1) * 4099));
    const { kept, passed } = collect(head(Number.POSITIVE_INFINITY), chunks);
    expect(passed.length).toBeGreaterThan(1);
    expect(passed.some((piece) => piece.includes('\uFFFD'))).toBe(false);
    expect(passed.join('')).toBe(text);
    expect(kept).toBe(text);
  });
});

describe('utf8SafeEnd', () => {
  it('cuts before an incomplete character at the end, nowhere else', () => {
    const euro = Buffer.from('a€'); // 61 e2 82 ac
    expect(utf8SafeEnd(euro)).toBe(4);
    expect(utf8SafeEnd(euro.subarray(0, 3))).toBe(1);
    expect(utf8SafeEnd(euro.subarray(0, 2))).toBe(1);
    expect(utf8SafeEnd(Buffer.from('ab'))).toBe(2);
    const emoji = Buffer.from('x😀'); // 4-byte character
    expect(utf8SafeEnd(emoji)).toBe(5);
    expect(utf8SafeEnd(emoji.subarray(0, 4))).toBe(1);
    expect(utf8SafeEnd(Buffer.alloc(0))).toBe(0);
  });
});
