import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../src/domain/events.js';
import { openTranscript, recordPaths, writeTextView } from '../../src/views/transcript.js';
import { formatTextEvent } from '../../src/views/transcriptText.js';

const TIME = '2026-11-26T12:00:00.000Z';

function tempFile(name: string): string {
  return join(mkdtempSync(join(tmpdir(), 'vkr-transcript-')), name);
}

const START: TranscriptEvent = {
  type: 'run-start', time: TIME, tool: { name: 'videokit-rollback', version: '0.1.0' }, argv: [], user: 'u', host: 'h', cwd: '/', pid: 1,
  mode: 'execute', targetEnv: null, context: 'c', namespace: 'n', releases: ['r'], timeout: '10m', configFile: null, parallel: 1,
  targetEnvSource: { source: 'unset', from: null }, ci: null,
  identity: {
    helm: { path: '/usr/bin/helm', version: 'v3.17.3', sha256: 'a'.repeat(64), problem: null },
    kubectl: { path: null, version: null, sha256: null, problem: 'kubectl version failed' },
    kubeconfig: { paths: ['/home/u/.kube/config'], context: 'c', cluster: 'k', server: 'https://k.example:6443', user: 'admin', problem: null },
  },
};

const output = (text: string, id = 7): TranscriptEvent => ({ type: 'command-output', time: TIME, id, stream: 'stdout', text });

describe('text transcript format', () => {
  it('prefixes every line of command output, blank ones too, and ends it with a newline', () => {
    expect(formatTextEvent(output('Waiting for deployment "api"...\n\ndone'))).toBe(
      `${TIME} [7] stdout:\n    | Waiting for deployment "api"...\n    | \n    | done\n`,
    );
    expect(formatTextEvent(output('\nx\n'))).toBe(`${TIME} [7] stdout:\n    | \n    | x\n`);
    expect(formatTextEvent(output(''))).toBe('');
  });
});

describe('openTranscript', () => {
  const events: TranscriptEvent[] = [
    { type: 'warning', time: TIME, message: 'token=abcdefgh12345678 in a message' },
    output('Authorization: Bearer abcdefghijklmnop\nsecond line\n'),
    { type: 'confirmation', time: TIME, confirmed: true, how: '--yes' },
  ];

  it('any name: the record is the .jsonl beside it, redacted, and the text log is rendered from it at the end; both only for their owner', () => {
    const path = tempFile('run.log');
    const transcript = openTranscript(path, (text) => text.replace(/abcdefgh\w+/g, '[X]'));
    expect(transcript.path).toBe(path.replace(/\.log$/, '.jsonl'));
    expect(transcript.view).toBe(path);
    for (const event of [START, ...events]) transcript.record(event);
    const digest = transcript.seal();
    expect(existsSync(path)).toBe(false);
    writeTextView(transcript.path ?? '', path, 'videokit-rollback 0.1.0');
    const text = readFileSync(path, 'utf8');
    expect(text.split('\n').slice(0, 3)).toEqual([
      '# run.jsonl: a videokit-rollback record as text, rendered by videokit-rollback 0.1.0',
      '# verification: intact and sealed (5 lines, 1 run)',
      `# seal digest (sha256): ${digest}`,
    ]);
    expect(text).toContain(`${TIME} WARNING token=[X] in a message\n`);
    expect(text).toContain(`${TIME} [7] stdout:\n    | Authorization: Bearer [X]\n    | second line\n`);
    expect(text.endsWith(`${TIME} ==== sealed: sha256 ${digest} (videokit-rollback verify checks it) ====\n`)).toBe(true);
    for (const file of [path, transcript.path ?? '']) {
      expect(readFileSync(file, 'utf8')).not.toContain('abcdefgh');
      expect(statSync(file).mode & 0o777).toBe(0o600);
    }
  });

  it('recordPaths: x.jsonl names the record and x.log its view; any other name names the view', () => {
    expect(recordPaths('/r/x.jsonl')).toEqual({ record: '/r/x.jsonl', view: '/r/x.log' });
    expect(recordPaths('/r/x.log')).toEqual({ record: '/r/x.jsonl', view: '/r/x.log' });
    expect(recordPaths('/r/x.txt')).toEqual({ record: '/r/x.jsonl', view: '/r/x.txt' });
    expect(recordPaths('/r/x')).toEqual({ record: '/r/x.jsonl', view: '/r/x' });
  });

  it('.jsonl: one chained JSON document per line, a seal per run, and a second run appends', () => {
    const path = tempFile('run.jsonl');
    const start = START;
    const digests: (string | null)[] = [];
    for (let run = 0; run < 2; run++) {
      const transcript = openTranscript(path);
      for (const event of [start, ...events]) transcript.record(event);
      digests.push(transcript.seal());
    }
    const lines = readFileSync(path, 'utf8').split('\n');
    expect(lines.pop()).toBe('');
    const parsed = lines.map((line) => JSON.parse(line) as { seq: number; prev: string });
    expect(parsed.map((e) => e.seq)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(parsed.map(({ seq: _seq, prev: _prev, ...event }) => event)).toEqual([
      start, ...events, { type: 'seal', digest: digests[0] }, start, ...events, { type: 'seal', digest: digests[1] },
    ]);
  });
});
