import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TRANSCRIPT_EVENT_TYPES, type EventOf, type TranscriptEvent, type TranscriptEventType } from '../../src/domain/events.js';
import { openTranscript } from '../../src/views/transcript.js';
import { textEventPieces, joinTextPieces } from '../../src/views/transcriptText.js';
import { parseTranscript } from '../../src/views/report/transcriptSchema.js';

const time = '2026-11-26T09:00:00.000Z';
const entry = { revision: 41, updated: '2026-11-20T10:00:00Z', status: 'superseded', chart: 'videokit-api-0.41.0', appVersion: '1.41.0', description: 'Upgrade complete' };

/** One event of every type the run writes: the Record makes a new type without a sample a compile error. */
const samples: { [K in TranscriptEventType]: EventOf<K> } = {
  'run-start': {
    type: 'run-start', time, tool: { name: 'videokit-rollback', version: '0.1.0' }, argv: ['--execute'], user: 'alice', host: 'bastion', cwd: '/srv',
    pid: 4242, mode: 'execute', targetEnv: 'prod-eu-west-1', context: 'prod-eu-west-1-admin', namespace: 'videokit', releases: ['videokit-api'],
    timeout: '10m', configFile: null, drill: true, parallel: 1,
  },
  'environment-check': { type: 'environment-check', time, refused: [], overridden: ['HELM_NAMESPACE'] },
  'output-closed': { type: 'output-closed', time, stream: 'stdout' },
  'context-resolved': { type: 'context-resolved', time, context: 'prod-eu-west-1-admin', source: 'kubeconfig' },
  warning: { type: 'warning', time, message: 'careful' },
  plan: {
    type: 'plan', time,
    plan: {
      schemaVersion: 1, context: 'prod-eu-west-1-admin', namespace: 'videokit',
      releases: [
        {
          release: 'videokit-api', action: 'rollback', current: { ...entry, revision: 42, status: 'deployed' }, target: entry, pinned: false,
          passedOver: [{ revision: 40, status: 'failed', reason: 'failed' }], deployments: [{ name: 'api', images: ['api:1.41.0'], replicas: 2, readyReplicas: 2 }], warnings: [],
        },
        { release: 'videokit-worker', action: 'skip', reason: 'nothing to roll back to', current: entry },
      ],
    },
  },
  'command-start': { type: 'command-start', time, id: 1, phase: 'rollback', release: 'videokit-api', effect: 'write', command: 'helm rollback videokit-api 41', argv: ['helm', 'rollback', 'videokit-api', '41'] },
  'command-output': { type: 'command-output', time, id: 1, stream: 'stdout', text: 'Rollback was a success! Happy Helming!\n' },
  'command-end': { type: 'command-end', time, id: 1, command: 'helm rollback videokit-api 41', exitCode: 0, signal: null, durationMs: 1200, timedOut: false, spawnError: null },
  'command-planned': { type: 'command-planned', time, release: 'videokit-api', effect: 'write', command: 'helm rollback videokit-api 41' },
  confirmation: { type: 'confirmation', time, confirmed: true, how: '--yes' },
  'restore-start': { type: 'restore-start', time, reason: 'videokit-api: unhealthy', releases: [{ release: 'videokit-api', to: 42 }], budget: '10m' },
  'restore-end': { type: 'restore-end', time, ok: false, releases: [{ release: 'videokit-api', result: 'restore-failed', to: 42, reason: 'timed out' }], manualCommands: ['helm rollback videokit-api 42'] },
  'readiness-check': { type: 'readiness-check', time, url: 'https://api.example/healthz', ok: true, attempts: 2, lastStatus: 200, lastError: null, durationMs: 900 },
  'plan-document': { type: 'plan-document', time, action: 'verified', path: '/srv/plan.json', sha256: 'a'.repeat(64), createdBy: { user: 'bob', host: 'laptop' }, createdAt: time },
  annotation: { type: 'annotation', time, url: 'https://grafana.example/api/annotations', ok: true, status: 200, id: 7, error: null, tags: ['rollback'], text: 'rolled back' },
  interrupt: { type: 'interrupt', time, signal: 'SIGINT', count: 2, action: 'exiting now', forwardedTo: [{ pid: 77, file: 'helm' }] },
  watchdog: { type: 'watchdog', time, id: 3, command: 'helm rollback videokit-api 41', allowedMs: 600_000, graceMs: 30_000, signal: 'SIGTERM', message: 'ended' },
  stage: { type: 'stage', time, stage: 'forward', status: 'end', budgetMs: 600_000, elapsedMs: 42_000, ok: true },
  'release-result': { type: 'release-result', time, stage: 'rollback', release: 'videokit-api', result: 'rolled-back', from: 42, to: 41, durationMs: 30_000, healthy: true, reason: null, pods: 'NAME READY\napi-1 1/1\n' },
  'release-state': { type: 'release-state', time, moment: 'after-rollback', release: 'videokit-api', revision: entry, deployments: [{ name: 'api', images: ['api:1.41.0'] }], problem: null },
  outcome: {
    type: 'outcome', time, status: 'drilled', exitCode: 0, message: 'drill complete', details: ['one'], durationMs: 90_000,
    releases: [{ release: 'videokit-api', result: 'rolled-back', from: 42, to: 41 }, { release: 'videokit-worker', result: 'skipped' }], restoreCommands: [],
  },
};

describe('the run event schema', () => {
  it('reads back every event type the writer writes, field for field', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'vkr-events-')), 'all.jsonl');
    const transcript = openTranscript(path);
    const written: TranscriptEvent[] = TRANSCRIPT_EVENT_TYPES.map((type) => samples[type]);
    for (const event of written) transcript.record(event);
    transcript.close();

    const read = parseTranscript(readFileSync(path, 'utf8'));
    expect(read.skippedTypes).toEqual([]);
    expect(read.truncated).toBe(false);
    expect(read.events).toEqual(written);
  });

  it('has a text transcript line for every event type', () => {
    for (const type of TRANSCRIPT_EVENT_TYPES) {
      expect(joinTextPieces(textEventPieces(samples[type])), type).toMatch(/^2026-11-26T09:00:00\.000Z /);
    }
  });

  it('ignores fields it does not know, so an envelope around each event leaves the event as it was', () => {
    const withEnvelope = { ...samples.warning, seq: 3, prev: 'f'.repeat(64) };
    const read = parseTranscript(`${JSON.stringify(samples['run-start'])}\n${JSON.stringify(withEnvelope)}\n`);
    expect(read.events[1]).toEqual(samples.warning);
  });

  it('refuses a known event whose vocabulary is not the run\'s', () => {
    const start = JSON.stringify(samples['run-start']);
    expect(() => parseTranscript(`${start}\n${JSON.stringify({ ...samples.stage, stage: 'sideways' })}\n`)).toThrow(/line 2 \(stage\): stage: /);
    expect(() => parseTranscript(`${start}\n${JSON.stringify({ ...samples.outcome, status: 'fine' })}\n`)).toThrow(/line 2 \(outcome\): status: /);
  });
});
