import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chainLine, GENESIS, sha256Hex } from '../../src/record/chain.js';
import { checkEvent } from '../../src/record/schemaCheck.js';
import { recordFileLines, verifyLines, verifyTranscript, type Verdict } from '../../src/record/verify.js';
import { AppendRefused, openChainWriter } from '../../src/record/writer.js';

const TIME = '2026-11-26T12:00:00.000Z';

const runStart = (user = 'alice') => ({
  type: 'run-start', time: TIME, tool: { name: 'videokit-rollback', version: '0.1.0' }, argv: ['--execute'], user, host: 'ops-1',
  cwd: '/srv', pid: 42, mode: 'execute', targetEnv: 'prod-eu-west-1', context: 'prod-eu-west-1-admin', namespace: 'videokit',
  releases: ['videokit-api'], timeout: '10m', configFile: null, parallel: 1,
});
const EVENTS = [
  runStart(),
  { type: 'command-start', time: TIME, id: 1, phase: 'rollback', release: 'videokit-api', effect: 'write', command: 'helm rollback videokit-api 41', argv: ['helm', 'rollback', 'videokit-api', '41'] },
  { type: 'command-output', time: TIME, id: 1, stream: 'stdout', text: 'Rollback was a success! Happy Helming!\n' },
  { type: 'command-end', time: TIME, id: 1, command: 'helm rollback videokit-api 41', exitCode: 0, signal: null, durationMs: 12, timedOut: false, spawnError: null },
  { type: 'outcome', time: TIME, status: 'rolled-back', exitCode: 0, message: 'ok', durationMs: 20, releases: [{ release: 'videokit-api', result: 'rolled-back', from: 42, to: 41 }], restoreCommands: [] },
];

function tempPath(name = 't.jsonl'): string {
  return join(mkdtempSync(join(tmpdir(), 'vkr-chain-')), name);
}

/** A transcript written by the real writer: these events, then the seal unless `sealed` is false. */
function written(events: readonly object[] = EVENTS, sealed = true): { path: string; bytes: Buffer; digest: string | null } {
  const path = tempPath();
  const writer = openChainWriter(path, checkEvent);
  events.forEach((event, i) => writer.append(event, i === 0));
  let digest: string | null = null;
  if (sealed) digest = writer.seal();
  else writer.close();
  return { path, bytes: readFileSync(path), digest };
}

const verify = (bytes: Buffer, digest?: string): Verdict => verifyTranscript(bytes, checkEvent, digest);
const lines = (bytes: Buffer) => bytes.toString('utf8').split('\n').slice(0, -1);
const join_ = (ls: readonly string[]) => Buffer.from(ls.map((l) => `${l}\n`).join(''));

describe('the hash chain as written', () => {
  it('each line carries seq and prev; the first prev is the fixed genesis value; the seal holds the digest of all before it', () => {
    const { bytes, digest } = written();
    const parsed = lines(bytes).map((l) => JSON.parse(l));
    expect(parsed.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(parsed[0].prev).toBe(GENESIS);
    expect(GENESIS).toBe(createHash('sha256').update('videokit-rollback transcript v1').digest('hex'));
    for (let i = 1; i < parsed.length; i++) expect(parsed[i].prev).toBe(sha256Hex(lines(bytes)[i - 1] as string));
    expect(parsed.at(-1)).toEqual({ seq: 5, prev: sha256Hex(lines(bytes)[4] as string), type: 'seal', digest });
    // What an auditor can recompute with standard tools: `head -n -1 t.jsonl | sha256sum`.
    expect(digest).toBe(sha256Hex(join_(lines(bytes).slice(0, -1))));
    expect(verify(bytes)).toMatchObject({ status: 'sealed', digest, lines: 6, runs: 1, notes: [] });
    expect(verify(bytes, digest?.toUpperCase())).toMatchObject({ status: 'sealed' });
  });

  it('a run closed without its seal (killed) leaves a valid, unsealed chain', () => {
    const { bytes } = written(EVENTS.slice(0, 3), false);
    expect(verify(bytes)).toMatchObject({ status: 'unsealed', lines: 3, seals: [] });
  });

  it('a second run appended to the file continues the chain; each run has its seal', () => {
    const first = written();
    const writer = openChainWriter(first.path, checkEvent);
    writer.append(runStart('bob'), true);
    const second = writer.seal();
    const bytes = readFileSync(first.path);
    expect(lines(bytes).map((l) => JSON.parse(l).seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const verdict = verify(bytes);
    expect(verdict).toMatchObject({ status: 'sealed', digest: second, runs: 2, seals: [{ line: 6, digest: first.digest }, { line: 8, digest: second }] });
    // Either run's digest, kept outside the file, is found in it.
    expect(verify(bytes, first.digest ?? '')).toMatchObject({ status: 'sealed' });
  });

  it('a run appended after one that was killed says so, and stays valid', () => {
    const killed = written(EVENTS.slice(0, 2), false);
    const writer = openChainWriter(killed.path, checkEvent);
    writer.append(runStart('bob'), true);
    writer.seal();
    expect(verify(readFileSync(killed.path))).toMatchObject({ status: 'sealed', runs: 2, notes: ['run 1 was not sealed: it was cut short before line 3'] });
  });

  it("the writer's own verdict, at every step, is what verify says of the file (so the run's text log needs no second read)", () => {
    const path = tempPath('tally.jsonl');
    const check = (writer: ReturnType<typeof openChainWriter>) => expect(writer.verdict()).toEqual(verify(readFileSync(path)));
    const killed = openChainWriter(path, checkEvent);
    for (const event of EVENTS.slice(0, 2)) {
      killed.append(event, false);
      check(killed);
    }
    killed.close();
    for (const user of ['bob', 'carol']) {
      const writer = openChainWriter(path, checkEvent);
      for (const event of [runStart(user), ...EVENTS.slice(1)]) {
        writer.append(event, false);
        check(writer);
      }
      writer.seal();
      check(writer);
      expect(writer.verdict().status).toBe('sealed');
    }
    expect(verify(readFileSync(path))).toMatchObject({ runs: 3, notes: ['run 1 was not sealed: it was cut short before line 3'] });
  });

  it('refuses to append to a file that does not verify, and creates files with mode 0600', () => {
    const { path, bytes } = written();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    writeFileSync(path, bytes.toString('utf8').replace('alice', 'mallory'));
    expect(() => openChainWriter(path, checkEvent)).toThrow(AppendRefused);
    const old = tempPath();
    writeFileSync(old, `${JSON.stringify(runStart())}\n`);
    expect(() => openChainWriter(old, checkEvent)).toThrow(/does not verify \(line 1 has seq undefined/);
  });
});

describe('verification of altered files', () => {
  const sealed = written();
  const original = sealed.bytes;

  it('every single byte flipped is caught, naming a line', () => {
    for (let at = 0; at < original.length; at++) {
      const bytes = Buffer.from(original);
      bytes[at] = (bytes[at] as number) ^ 0x01;
      const verdict = verify(bytes);
      expect(verdict.status, `byte ${at} (${JSON.stringify(String.fromCharCode(original[at] as number))})`).toBe('tampered');
    }
  });

  it('an edited operator name is caught on that line', () => {
    const bytes = Buffer.from(original.toString('utf8').replace('"user":"alice"', '"user":"bobby"'));
    expect(verify(bytes)).toEqual({ status: 'tampered', line: 1, reason: 'line 1 was altered: its sha256 is not the prev that line 2 recorded' });
  });

  it('any line deleted is caught; only the seal gone reads as unsealed, and then the digest catches it', () => {
    const all = lines(original);
    for (let i = 0; i < all.length - 1; i++) {
      const verdict = verify(join_(all.filter((_, j) => j !== i)));
      expect(verdict, `line ${i + 1} deleted`).toMatchObject({ status: 'tampered' });
    }
    expect(verify(join_(all.slice(0, -1)))).toMatchObject({ status: 'unsealed' });
    expect(verify(join_(all.slice(0, -1)), sealed.digest ?? '')).toMatchObject({ status: 'tampered', reason: expect.stringMatching(/^no seal carries the digest .*: the file holds no seal$/) });
  });

  it('a deleted line is named where the sequence breaks', () => {
    const all = lines(original);
    expect(verify(join_([all[0], all[1], all[3], all[4], all[5]] as string[]))).toMatchObject({ status: 'tampered', line: 3, reason: expect.stringMatching(/^line 3 has seq 3 where 2 belongs/) });
  });

  it('any two lines swapped are caught', () => {
    const all = lines(original);
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        const swapped = [...all];
        [swapped[i], swapped[j]] = [all[j] as string, all[i] as string];
        expect(verify(join_(swapped)), `lines ${i + 1} and ${j + 1}`).toMatchObject({ status: 'tampered', line: i + 1 });
      }
    }
  });

  it('a line appended after the seal is caught, copied or correctly chained; a chained new run is only unsealed', () => {
    const all = lines(original);
    expect(verify(join_([...all, all[2] as string]))).toMatchObject({ status: 'tampered', line: 7 });
    const link = { seq: all.length, prev: sha256Hex(all.at(-1) as string) };
    const chainedEvent = chainLine(EVENTS[1] as object, link).bytes.toString('utf8');
    expect(verify(join_([...all, chainedEvent]))).toEqual({
      status: 'tampered', line: 7, reason: 'line 7 follows the seal on line 6: nothing but a new run may follow a seal',
    });
    const chainedRun = chainLine(runStart('mallory'), link).bytes.toString('utf8');
    expect(verify(join_([...all, chainedRun]))).toMatchObject({ status: 'unsealed', runs: 2 });
    expect(verify(join_([...all, chainedRun]), sealed.digest ?? '')).toMatchObject({ status: 'unsealed', seals: [{ line: 6 }] });
  });

  it('a truncated last line reads as cut short (a killed writer); the whole line without its newline, or the digest, does not', () => {
    const text = original.toString('utf8');
    const lastStart = text.lastIndexOf('\n', text.length - 2) + 1;
    for (let cut = lastStart + 1; cut < text.length - 1; cut++) {
      const verdict = verify(original.subarray(0, cut));
      expect(verdict, `cut at ${cut}`).toMatchObject({ status: 'unsealed', notes: [expect.stringMatching(/^the last line \(line 6, \d+ bytes\) is incomplete/)] });
      expect(verify(original.subarray(0, cut), sealed.digest ?? '')).toMatchObject({ status: 'tampered' });
    }
    expect(verify(original.subarray(0, text.length - 1))).toMatchObject({ status: 'tampered', line: 6, reason: expect.stringMatching(/does not end with a newline/) });
  });

  it('a digest that is not in the file is tampering; an empty or foreign file is too', () => {
    expect(verify(original, 'ab'.repeat(32))).toMatchObject({ status: 'tampered', line: 6, reason: expect.stringContaining('the last seal, line 6, carries') });
    expect(verify(Buffer.alloc(0))).toMatchObject({ status: 'tampered', line: 1 });
    expect(verify(Buffer.from('2026-11-26T12:00:00Z ==== videokit-rollback 0.1.0 execute ====\n'))).toMatchObject({ status: 'tampered', line: 1, reason: 'line 1 is not JSON' });
  });

  it('read from the file a chunk at a time (lines across chunks), every verdict is the one the bytes in memory get', () => {
    const path = tempPath('chunks.jsonl');
    const variants = [original, original.subarray(0, original.length - 9), original.subarray(0, original.length - 1), Buffer.alloc(0)];
    for (let at = 0; at < original.length; at += 13) {
      const bytes = Buffer.from(original);
      bytes[at] = (bytes[at] as number) ^ 0x01;
      variants.push(bytes);
    }
    for (const bytes of variants) {
      writeFileSync(path, bytes);
      for (const chunk of [1, 5, 64, 1024 * 1024]) expect(verifyLines(recordFileLines(path, chunk), checkEvent)).toEqual(verify(bytes));
    }
  });

  it('an event that breaks the schema is caught even when correctly chained', () => {
    const bad = chainLine({ ...EVENTS[0], mode: 'yolo' }, { seq: 0, prev: GENESIS }).bytes.toString('utf8');
    expect(verify(join_([bad]))).toMatchObject({ status: 'tampered', line: 1, reason: expect.stringMatching(/^line 1 \(run-start\) does not match the event schema: mode/) });
    const unknown = chainLine({ type: 'run-start-ish', time: TIME }, { seq: 0, prev: GENESIS }).bytes.toString('utf8');
    expect(verify(join_([unknown]))).toMatchObject({ status: 'tampered', reason: expect.stringContaining('unknown event type "run-start-ish"') });
  });
});
