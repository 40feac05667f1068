import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../support/cli.js';
import { DRILL_ARGS, drillRules } from '../support/drillRules.js';
import { createFakeTools } from '../support/fakeTools.js';

const MIB = 1024 * 1024;

describe('large command output', () => {
  it('goes whole to the transcript as it arrives; the JSON report keeps its first MiB', async () => {
    const line = 'Waiting for deployment "videokit-api" rollout to finish: 512 of 1000 updated replicas are available...\n';
    const output = `${line.repeat(Math.ceil((3 * MIB) / line.length))}deployment "videokit-api" successfully rolled out\n`;
    const fake = createFakeTools(drillRules({ overrides: [{ tool: 'kubectl', prefix: ['rollout', 'status', 'deployment/videokit-api'], stdout: output }] }));
    const cwd = mkdtempSync(join(tmpdir(), 'vkr-large-'));
    const transcript = join(cwd, 'run.jsonl');
    const result = await runBuiltCli([...DRILL_ARGS, '--execute', '--yes', '--output', 'json', '--transcript', transcript], {
      path: [fake.dir],
      cwd,
      env: fake.env,
    });
    expect(result.exitCode).toBe(0);

    const events = readFileSync(transcript, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const start = events.find((e) => e.type === 'command-start' && e.command.includes('rollout status deployment/videokit-api'));
    const pieces = events.filter((e) => e.type === 'command-output' && e.id === start.id);
    expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((p) => p.stream === 'stdout' && p.text.endsWith('\n'))).toBe(true);
    expect(pieces.map((p) => p.text).join('')).toBe(output);
    const end = events.findIndex((e) => e.type === 'command-end' && e.id === start.id);
    expect(events.indexOf(pieces.at(-1))).toBeLessThan(end);

    const doc = JSON.parse(result.stdout);
    const record = doc.commands.find((c: { id: number }) => c.id === start.id);
    expect(record.result.stdout).toBe(output.slice(0, MIB));
    expect(record.result.omittedBytes).toEqual({ stdout: output.length - MIB, stderr: 0 });
    // The Pod listing is small: kept whole, and shown.
    expect(doc.releases[0].pods).toContain('videokit-api-6d5f7c9b8-abcde');
  });
});
