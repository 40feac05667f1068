import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quoteCommand } from '../../src/domain/shellQuote.js';
import { DurationError, formatDuration, MAX_DURATION_MS, parseDuration } from '../../src/domain/duration.js';
import { chooseRollbackTarget } from '../../src/plan/chooseRollbackTarget.js';
import { parseHelmHistory } from '../../src/plan/parseToolOutput.js';
import { planRollback } from '../../src/plan/planRollback.js';
import { ELIGIBLE_TARGET_STATUSES } from '../../src/plan/statuses.js';
import type { HistoryEntry } from '../../src/plan/types.js';

// Modest run counts: these run in every `npm test`, on 2-core CI machines.
const RUNS = { numRuns: 200 };

const STATUSES = ['deployed', 'superseded', 'failed', 'pending-install', 'pending-upgrade', 'pending-rollback', 'uninstalled', 'uninstalling', 'unknown'];
const status = fc.oneof(fc.constantFrom(...STATUSES), fc.string({ minLength: 1, maxLength: 12 }));

const historyJsonEntry = fc.record(
  {
    revision: fc.integer({ min: 1, max: 100_000 }),
    status,
    chart: fc.string(),
    app_version: fc.string(),
    updated: fc.constantFrom('', '2026-11-12T09:00:00Z'),
    description: fc.string(),
    rollback_revision: fc.integer({ min: 1, max: 100 }),
  },
  { requiredKeys: ['revision', 'status', 'chart'] },
);

describe('helm history parser (properties)', () => {
  it('never throws, whatever it is given: text, JSON of any shape, or JSON after warnings', () => {
    const json = fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v));
    const input = fc.oneof(
      fc.string({ unit: 'binary' }),
      json,
      fc.array(historyJsonEntry, { maxLength: 4 }).map((v) => JSON.stringify(v)),
      fc.tuple(fc.string(), json).map(([warning, v]) => `WARNING: ${warning}\n${v}`),
      json.chain((text) => fc.nat(text.length).map((n) => text.slice(0, n))),
    );
    fc.assert(
      fc.property(input, (stdout) => {
        const parsed = parseHelmHistory(stdout);
        if (!parsed.ok) expect(typeof parsed.problem).toBe('string');
      }),
      RUNS,
    );
  });

  it('reads every well-formed history exactly, unknown fields and all', () => {
    fc.assert(
      fc.property(fc.uniqueArray(historyJsonEntry, { selector: (e) => e.revision, maxLength: 30 }), fc.boolean(), (entries, warned) => {
        const sorted = [...entries].sort((a, b) => a.revision - b.revision);
        const stdout = `${warned ? 'WARNING: Kubernetes configuration file is group-readable.\n' : ''}${JSON.stringify(sorted)}\n`;
        const parsed = parseHelmHistory(stdout);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        expect(parsed.value.map((e) => [e.revision, e.status, e.chart])).toEqual(sorted.map((e) => [e.revision, e.status, e.chart]));
        for (const [i, e] of parsed.value.entries()) {
          const updated = sorted[i]?.updated;
          expect(e.updated).toBe(updated === '' ? undefined : updated);
        }
      }),
      RUNS,
    );
  });
});

const historyEntries = fc
  .uniqueArray(fc.record({ revision: fc.integer({ min: 1, max: 500 }), status }), { selector: (e) => e.revision, minLength: 1, maxLength: 25 })
  .map((entries) =>
    entries
      .map((e): HistoryEntry => ({ ...e, updated: undefined, chart: `c-${e.revision}`, appVersion: '', description: '' }))
      .sort((a, b) => a.revision - b.revision),
  );
const pin = fc.option(fc.integer({ min: -3, max: 520 }), { nil: undefined });

describe('chooseRollbackTarget (properties)', () => {
  it('never throws; a chosen target exists, is eligible and is below the current', () => {
    fc.assert(
      fc.property(historyEntries, pin, (history, pinned) => {
        const choice = chooseRollbackTarget(history, pinned);
        const current = history[history.length - 1] as HistoryEntry;
        if (!choice.ok) {
          expect(choice.problem.length).toBeGreaterThan(0);
          return;
        }
        expect(history).toContainEqual(choice.target);
        expect(ELIGIBLE_TARGET_STATUSES.has(choice.target.status)).toBe(true);
        expect(choice.target.revision).toBeLessThan(current.revision);
        if (pinned !== undefined) expect(choice.target.revision).toBe(pinned);
        // Everything between target and current is listed as passed over, newest first.
        const between = history.filter((e) => e.revision > choice.target.revision && e.revision < current.revision).reverse();
        expect(choice.passedOver.map((p) => p.revision)).toEqual(between.map((e) => e.revision));
      }),
      RUNS,
    );
  });

  it('without a pin or any rollback in the history, picks the newest eligible revision below the current', () => {
    fc.assert(
      fc.property(historyEntries, (history) => {
        const current = history[history.length - 1] as HistoryEntry;
        const eligible = history.filter((e) => e.revision < current.revision && ELIGIBLE_TARGET_STATUSES.has(e.status));
        const choice = chooseRollbackTarget(history, undefined);
        if (eligible.length === 0) expect(choice.ok).toBe(false);
        else expect(choice.ok && choice.target.revision).toBe(eligible[eligible.length - 1]?.revision);
      }),
      RUNS,
    );
  });
});

/** Which revision's content each revision carries, worked out here independently of src/domain/lineage.ts. */
function contentIn(history: readonly HistoryEntry[], revision: number): number {
  const entry = history.find((e) => e.revision === revision);
  const match = entry === undefined ? null : /^Rollback to (\d+)$/.exec(entry.description);
  if (match === null) return revision;
  const source = Number(match[1]);
  return source < revision ? contentIn(history, source) : revision;
}

/** Histories with rollbacks in them: some revisions are `Rollback to N` of an earlier (possibly pruned) one. */
const historiesWithRollbacks = fc
  .uniqueArray(
    fc.record({ revision: fc.integer({ min: 2, max: 60 }), status, rollbackTo: fc.option(fc.integer({ min: 1, max: 60 }), { nil: undefined }) }),
    { selector: (e) => e.revision, minLength: 1, maxLength: 20 },
  )
  .map((entries) =>
    entries
      .map((e): HistoryEntry => ({
        revision: e.revision,
        status: e.status,
        updated: undefined,
        chart: `c-${e.revision}`,
        appVersion: '',
        description: e.rollbackTo !== undefined && e.rollbackTo < e.revision ? `Rollback to ${e.rollbackTo}` : 'Upgrade complete',
      }))
      .sort((a, b) => a.revision - b.revision),
  );

describe('the target rule (properties)', () => {
  it('never plans a target with the current content or an ineligible status; a completed rollback on top plans no write', () => {
    fc.assert(
      fc.property(historiesWithRollbacks, fc.boolean(), fc.boolean(), (history, allowPending, drill) => {
        const result = planRollback(
          { releases: ['r'], namespace: 'ns', context: 'ctx', pinnedRevisions: {}, allowPending, requireDeployed: drill },
          { releases: [{ release: 'r', history: { ok: true, value: history }, deployments: { ok: true, value: [] } }] },
        );
        const current = history[history.length - 1] as HistoryEntry;
        const rolledBackTo = /^Rollback to (\d+)$/.exec(current.description)?.[1];
        if (!drill && current.status === 'deployed' && rolledBackTo !== undefined) {
          expect(result.ok && result.plan.releases[0]?.action).toBe('already-rolled-back');
        }
        const plan = result.ok ? result.plan.releases[0] : undefined;
        if (plan?.action !== 'rollback') return;
        expect(ELIGIBLE_TARGET_STATUSES.has(plan.target.status)).toBe(true);
        expect(plan.target.revision).toBeLessThan(current.revision);
        if (current.status === 'pending-rollback' && rolledBackTo !== undefined) {
          // Finishing an interrupted rollback: the target is the one it was going to.
          expect(plan.target.revision).toBe(Number(rolledBackTo));
        } else {
          expect(contentIn(history, plan.target.revision)).not.toBe(contentIn(history, current.revision));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('durations (properties)', () => {
  it('parseDuration returns a positive budget within the limit, or throws a DurationError: nothing else', () => {
    const text = fc.oneof(
      fc.string(),
      fc.stringMatching(/^-?\d{0,3}(\.\d)?[hmsyM]?(\d{0,3}[hms])?$/),
      fc.tuple(fc.nat(30), fc.nat(90), fc.nat(90)).map(([h, m, s]) => `${h}h${m}m${s}s`),
    );
    fc.assert(
      fc.property(text, (t) => {
        try {
          const ms = parseDuration(t);
          expect(Number.isInteger(ms)).toBe(true);
          expect(ms).toBeGreaterThan(0);
          expect(ms).toBeLessThanOrEqual(MAX_DURATION_MS);
        } catch (error) {
          expect(error).toBeInstanceOf(DurationError);
          expect((error as Error).message).toMatch(/^invalid duration /);
          expect((error as Error).message).not.toContain('\n');
        }
      }),
      RUNS,
    );
  });

  it('formatDuration round-trips whole seconds and never rounds up', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: MAX_DURATION_MS / 1000 }), fc.integer({ min: 0, max: 999 }), (seconds, extraMs) => {
        const text = formatDuration(seconds * 1000 + extraMs);
        expect(text).toMatch(/^(\d+h)?(\d+m)?\d+s$/);
        expect(parseDuration(text)).toBe(seconds * 1000);
      }),
      RUNS,
    );
  });
});

describe('shell quoting for display (properties)', () => {
  it('round-trips through bash: the shell sees exactly the words we run', () => {
    // Any Unicode text except NUL, which no argv can hold.
    const word = fc.string({ unit: 'binary', maxLength: 12 }).filter((w) => !w.includes('\0'));
    // Many commands per bash: a bash start-up per command is most of this test's time.
    const commands = fc.array(fc.array(word, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(commands, (batch) => {
        // Each command prints its word count, then its words: the split below cannot be fooled by a word.
        const script = batch.map((words) => `printf '%s\\0' ${words.length} ${quoteCommand(words)}`).join('\n');
        // Words with control characters use ANSI-C quoting ($'…'), which dash lacks: bash reads them.
        const out = spawnSync('bash', ['-c', script], { env: { PATH: '/usr/bin:/bin', LC_ALL: 'C.UTF-8' } });
        expect(out.status).toBe(0);
        const fields = out.stdout.toString('utf8').split('\0').slice(0, -1);
        const seen: string[][] = [];
        for (let i = 0; i < fields.length; i += Number(fields[i]) + 1) seen.push(fields.slice(i + 1, i + 1 + Number(fields[i])));
        expect(seen).toEqual(batch);
      }),
      { numRuns: 5 },
    );
  });
});
