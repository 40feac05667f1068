import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from '../support/cli.js';
import { DRILL_ARGS, drillRules } from '../support/drillRules.js';
import { createFakeTools } from '../support/fakeTools.js';
import { readRecord } from '../support/record.js';

const MIB = 1024 * 1024;

describe('large command output', () => {
  it('goes whole to the transcript as it arrives; the JSON report keeps the last 64 KiB of a rollout and the first MiB of a Pod listing', async () => {
    const line = 'Waiting for deployment "videokit-api" rollout to finish: 512 of 1000 updated replicas are available...\n';
    const output = `${line.repeat(Math.ceil((3 * MIB) / line.length))}deployment "videokit-api" successfully rolled out\n`;
    const podLine = (i: number) => `videokit-worker-6d5f7c9b8-${String(i).padStart(6, '0')}   1/1     Running   0          5m    10.0.${i % 256}.${i % 251}   node-${i % 7}   <none>   <none>\n`;
    const pods = `NAME READY STATUS RESTARTS AGE IP NODE NOMINATED-NODE READINESS-GATES\n${Array.from({ length: 12_000 }, (_, i) => podLine(i)).join('')}`;
    const fake = createFakeTools(
      drillRules({
        overrides: [
          { tool: 'kubectl', prefix: ['rollout', 'status', 'deployment/videokit-api'], stdout: output },
          { tool: 'kubectl', prefix: ['get', 'pods', '--namespace', 'videokit', '--context', 'prod-eu-west-1-admin', '--selector', 'app.kubernetes.io/instance=videokit-worker'], stdout: pods },
        ],
      }),
    );
    const cwd = mkdtempSync(join(tmpdir(), 'vkr-large-'));
    const transcript = join(cwd, 'run.jsonl');
    const result = await runBuiltCli([...DRILL_ARGS, '--execute', '--yes', '--output', 'json', '--transcript', transcript], {
      path: [fake.dir],
      cwd,
      env: fake.env,
    });
    expect(result.exitCode).toBe(0);

    const events = readRecord(transcript);
    const outputOf = (fragment: string) => {
      const start = events.find((e) => e.type === 'command-start' && e.command.includes(fragment));
      const pieces = events.filter((e) => e.type === 'command-output' && e.id === start.id);
      const end = events.findIndex((e) => e.type === 'command-end' && e.id === start.id);
      expect(events.indexOf(pieces.at(-1))).toBeLessThan(end);
      return { id: start.id as number, pieces };
    };
    const rollout = outputOf('rollout status deployment/videokit-api');
    expect(rollout.pieces.length).toBeGreaterThan(1);
    expect(rollout.pieces.every((p) => p.stream === 'stdout' && p.text.endsWith('\n'))).toBe(true);
    expect(rollout.pieces.map((p) => p.text).join('')).toBe(output);
    expect(outputOf('instance=videokit-worker --output wide').pieces.map((p) => p.text).join('')).toBe(pods);

    const doc = JSON.parse(result.stdout);
    // A progress stream: its last lines, whole, say how it ended.
    const rolloutRecord = doc.commands.find((c: { id: number }) => c.id === rollout.id);
    const kept: string = rolloutRecord.result.stdout;
    expect(kept.endsWith('deployment "videokit-api" successfully rolled out\n')).toBe(true);
    expect(kept.length).toBeLessThanOrEqual(64 * 1024);
    expect(kept.length).toBeGreaterThan(64 * 1024 - line.length);
    expect(kept.startsWith('Waiting for deployment')).toBe(true);
    expect(rolloutRecord.result.omittedBytes).toEqual({ stdout: output.length - kept.length, stderr: 0 });
    // Output with a shape: its first MiB.
    const worker = doc.releases.find((r: { release: string }) => r.release === 'videokit-worker');
    expect(worker.pods).toBe(pods.slice(0, MIB));
    // The small Pod listing is kept whole, and shown.
    expect(doc.releases[0].pods).toContain('videokit-api-6d5f7c9b8-abcde');
  });
});
