import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, it } from 'vitest';
import { onPseudoTerminal } from '../support/pty.js';
import { BIN, isAlive, spawnBuiltCli, waitFor } from '../support/cli.js';
import { DRILL_ARGS, drillRules } from '../support/drillRules.js';
import { createFakeTools, type FakeRule } from '../support/fakeTools.js';
import { readRecord, readRecordSoFar } from '../support/record.js';

const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});

function setup(overrides: FakeRule[]) {
  const fake = createFakeTools(drillRules({ overrides }));
  const cwd = mkdtempSync(join(tmpdir(), 'vkr-int-'));
  const transcript = join(cwd, 'run.jsonl');
  const start = (args: string[]) =>
    spawnBuiltCli([...args, '--transcript', transcript], { path: [fake.dir], cwd, env: fake.env, ownProcessGroup: true });
  const events = () => readRecord(transcript);
  /** While the run writes: whole lines only. */
  const eventsSoFar = () => readRecordSoFar(transcript);
  const callOf = (verb: string, release?: string) =>
    fake.calls().find((c) => c.argv[0] === verb && (release === undefined || c.argv.includes(release) || c.argv.includes(`deployment/${release}`)));
  return { fake, cwd, transcript, start, events, eventsSoFar, callOf };
}

/** Like a terminal's Ctrl-C: the signal goes to the CLI's whole process group. */
const signalGroup = (pid: number | undefined, signal: NodeJS.Signals) => process.kill(-(pid as number), signal);

describe('interrupts during --execute', () => {
  it('a first Ctrl-C during helm rollback lets it finish, then stops: nothing later runs, exit 130', async () => {
    const { start, events, callOf, fake } = setup([
      { tool: 'helm', prefix: ['rollback', 'videokit-api'], delayMs: 1_500, stdout: 'Rollback was a success! Happy Helming!\n' },
    ]);
    const child = start([...DRILL_ARGS, '--execute', '--yes']);
    await waitFor('helm rollback to start', () => callOf('rollback', 'videokit-api') !== undefined);
    signalGroup(child.pid, 'SIGINT');
    const result = await child;

    expect(result.exitCode).toBe(130);
    // The terminal's SIGINT did not reach helm (its own process group) and the tool did not kill it.
    const rollbackEnd = events().find((e) => e.type === 'command-end' && String(e.command).startsWith('helm rollback videokit-api'));
    expect(rollbackEnd).toMatchObject({ exitCode: 0, signal: null });
    // Its output streams into command-output events of the same id.
    const rollbackId = (rollbackEnd as { id?: number } | undefined)?.id;
    expect(events().filter((e) => e.type === 'command-output' && e.id === rollbackId).map((e) => e.text).join('')).toBe(
      'Rollback was a success! Happy Helming!\n',
    );
    // Nothing ran after it but the release of its lock: no rollout status, no second release.
    const calls = fake.calls();
    expect(calls.at(-1)?.argv.slice(0, 3)).toEqual(['delete', 'configmap', 'videokit-rollback-lock.videokit-api']);
    expect(calls.at(-2)?.argv.slice(0, 2)).toEqual(['rollback', 'videokit-api']);
    expect(calls.filter((c) => c.argv[0] === 'rollback')).toHaveLength(1);

    expect(result.stderr).toContain('SIGINT received: no new command will start and the waits are stopped; helm rollback of videokit-api is left to finish');
    expect(result.stderr).toContain('videokit-rollback: error: videokit-api: interrupted by SIGINT after helm rollback finished; the rollout was not verified');
    expect(result.stdout).toMatch(/videokit-api: rolled back to 41 but NOT verified/);
    expect(result.stdout).toMatch(/videokit-worker: not touched \(still at revision 18\)/);
    expect(result.stdout).toContain('helm rollback videokit-api 42 --namespace videokit');

    const all = events();
    const interruptAt = all.findIndex((e) => e.type === 'interrupt');
    expect(all[interruptAt]).toMatchObject({ signal: 'SIGINT', count: 1 });
    expect(String(all[interruptAt]?.action)).toMatch(/left to finish, because killing helm mid-rollback leaves the release pending-rollback/);
    // The interrupt is recorded while helm rollback ran (before its end), the outcome last.
    const rollbackEndAt = all.findIndex((e) => e.type === 'command-end' && String(e.command).startsWith('helm rollback videokit-api'));
    expect(interruptAt).toBeGreaterThan(0);
    expect(interruptAt).toBeLessThan(rollbackEndAt);
    expect(all.at(-1)).toMatchObject({
      type: 'outcome',
      status: 'interrupted',
      exitCode: 130,
      releases: [
        { release: 'videokit-api', result: 'interrupted', from: 42, to: 41 },
        { release: 'videokit-worker', result: 'not-started', from: 18, to: 17 },
      ],
    });
  });

  it('a second SIGINT forwards it to helm and exits at once, recording that it did', async () => {
    const { start, events, eventsSoFar, callOf, transcript } = setup([{ tool: 'helm', prefix: ['rollback', 'videokit-api'], delayMs: 120_000 }]);
    const child = start([...DRILL_ARGS, '--execute', '--yes']);
    await waitFor('helm rollback to start', () => callOf('rollback', 'videokit-api') !== undefined);
    const helmPid = callOf('rollback', 'videokit-api')?.pid as number;
    leftovers.push(helmPid);
    signalGroup(child.pid, 'SIGINT');
    await waitFor('the first interrupt to be recorded', () => eventsSoFar().some((e) => e.type === 'interrupt'));
    expect(isAlive(helmPid)).toBe(true); // left to finish after the first
    signalGroup(child.pid, 'SIGINT');
    const result = await child;

    expect(result.exitCode).toBe(130);
    await waitFor('helm to die of the forwarded SIGINT', () => !isAlive(helmPid), 5_000);
    const all = events();
    expect(all.filter((e) => e.type === 'interrupt')).toMatchObject([
      { signal: 'SIGINT', count: 1 },
      { signal: 'SIGINT', count: 2, forwardedTo: [{ pid: helmPid }] },
    ]);
    expect(String(all.filter((e) => e.type === 'interrupt')[1]?.action)).toMatch(/^exiting at once: forwarded SIGINT to .*helm \(pid \d+\)$/);
    // It did not wait for helm: there is no end for the rollback command.
    expect(all.some((e) => e.type === 'command-end' && String(e.command).startsWith('helm rollback'))).toBe(false);
    expect(all.at(-1)).toMatchObject({ type: 'outcome', status: 'interrupted', exitCode: 130 });
    expect(String(all.at(-1)?.message)).toBe(
      'aborted by a second SIGINT while helm rollback of videokit-api was running: helm was sent SIGINT and the tool exited without waiting for it',
    );
    expect(result.stderr).toMatch(/hint: videokit-api may be left pending-rollback: check `helm history videokit-api`/);
    // Even exiting at once, the sealed record gets its text log beside it.
    const log = readFileSync(transcript.replace(/\.jsonl$/, '.log'), 'utf8');
    expect(log).toMatch(/^# run\.jsonl: a videokit-rollback record as text.*\n# verification: intact and sealed/);
    expect(log).toContain('outcome: interrupted exit=130');
  });

  it('a second SIGTERM exits at once even when the child ignores it (143)', async () => {
    const { start, events, eventsSoFar, callOf } = setup([{ tool: 'kubectl', prefix: ['rollout', 'status', 'deployment/videokit-api'], hang: true }]);
    const child = start([...DRILL_ARGS, '--execute', '--yes']);
    await waitFor('rollout status to start', () => callOf('rollout', 'videokit-api') !== undefined);
    const kubectlPid = callOf('rollout', 'videokit-api')?.pid as number;
    leftovers.push(kubectlPid);
    // The fake ignores SIGTERM: after the first signal the tool would wait out its force-kill delay.
    child.kill('SIGTERM');
    await waitFor('the first interrupt to be recorded', () => eventsSoFar().some((e) => e.type === 'interrupt'));
    child.kill('SIGTERM');
    const result = await child;

    expect(result.exitCode).toBe(143);
    const interrupts = events().filter((e) => e.type === 'interrupt');
    expect(interrupts).toHaveLength(2);
    expect(interrupts[1]).toMatchObject({ signal: 'SIGTERM', count: 2, forwardedTo: [{ pid: kubectlPid }] });
    expect(events().at(-1)).toMatchObject({ type: 'outcome', status: 'interrupted', exitCode: 143 });
    expect(events().some((e) => e.type === 'command-end' && String(e.command).startsWith('kubectl rollout status'))).toBe(false);
  });
});

describe('interrupts during --dry-run', () => {
  it('stops at once, killing the reads in flight', async () => {
    const { start, events, callOf } = setup([{ tool: 'helm', prefix: ['history', 'videokit-api'], delayMs: 120_000 }]);
    const child = start([...DRILL_ARGS, '--dry-run']);
    await waitFor('helm history to start', () => callOf('history', 'videokit-api') !== undefined);
    const helmPid = callOf('history', 'videokit-api')?.pid as number;
    leftovers.push(helmPid);
    child.kill('SIGINT');
    const result = await child;

    expect(result.exitCode).toBe(130);
    expect(isAlive(helmPid)).toBe(false);
    expect(result.stderr).toContain('SIGINT received: stopping the dry-run now (it changes nothing)');
    expect(result.stderr).toContain('videokit-rollback: error: interrupted by SIGINT during planning; nothing was changed');
    const end = events().find((e) => e.type === 'command-end' && String(e.command).startsWith('helm history videokit-api'));
    expect(end).toMatchObject({ exitCode: null, signal: 'SIGTERM' });
    expect(events().at(-1)).toMatchObject({ type: 'outcome', status: 'interrupted', exitCode: 130 });
  });
});

describe('the watchdog', () => {
  it('ends a helm rollback that outlives its --timeout and ignores SIGTERM, and reports it', async () => {
    const { start, events, callOf } = setup([{ tool: 'helm', prefix: ['rollback', 'videokit-api'], hang: true }]);
    // 3s: the planning reads and the read just before the write come out of the budget first.
    const child = start([...DRILL_ARGS, '--execute', '--yes', '--timeout', '3s']);
    await waitFor('helm rollback to start', () => callOf('rollback', 'videokit-api') !== undefined);
    const helmPid = callOf('rollback', 'videokit-api')?.pid as number;
    leftovers.push(helmPid);
    const result = await child;

    expect(result.exitCode).toBe(4);
    expect(isAlive(helmPid)).toBe(false);
    const watchdog = events().find((e) => e.type === 'watchdog');
    // With under 3s left for helm the grace is the 1s floor; SIGTERM is ignored, so SIGKILL ends it.
    expect(watchdog).toMatchObject({ graceMs: 1_000, signal: 'SIGKILL' });
    expect(watchdog?.allowedMs).toBeLessThanOrEqual(3_000);
    expect(String(watchdog?.message)).toMatch(/^helm outlived its time \(\d(\.\d)?s\) by the 1s grace: the watchdog ended it with SIGKILL$/);
    expect(events().find((e) => e.type === 'command-end' && String(e.command).startsWith('helm rollback'))).toMatchObject({
      timedOut: true,
      signal: 'SIGKILL',
    });
    expect(result.stderr).toContain('videokit-rollback: error: videokit-api: helm rollback outlived its time limit and was ended by the watchdog (SIGKILL)');
    expect(result.stderr).toMatch(/hint: helm was killed mid-rollback, which can leave videokit-api pending-rollback/);
    expect(result.stderr).toMatch(/watchdog: helm outlived its time/);
  });
});

describe('Ctrl-C typed on a real terminal (a pseudo-terminal through script(1))', () => {
  /** The CLI on a pty; what is written to stdin is typed at the terminal, so ^C reaches the foreground group. */
  function onTerminal(args: string[], overrides: FakeRule[]) {
    const fake = createFakeTools(drillRules({ overrides }));
    const cwd = mkdtempSync(join(tmpdir(), 'vkr-tty-int-'));
    const transcript = join(cwd, 'run.jsonl');
    const child = execa(...onPseudoTerminal([process.execPath, BIN, ...args, '--transcript', transcript]), {
      reject: false,
      cwd,
      extendEnv: false,
      env: { PATH: `${fake.dir}:/usr/bin:/bin`, HOME: cwd, TERM: 'xterm', NO_COLOR: '1', ...fake.env },
      timeout: 30_000,
    });
    const events = () => (existsSync(transcript) ? readRecord(transcript) : []);
    return { child, fake, events };
  }

  it('^C during helm rollback: helm is not hit by the terminal\'s SIGINT and finishes; exit 130', async () => {
    const { child, fake, events } = onTerminal([...DRILL_ARGS, '--execute', '--yes'], [
      { tool: 'helm', prefix: ['rollback', 'videokit-api'], delayMs: 1_500, stdout: 'Rollback was a success! Happy Helming!\n' },
    ]);
    await waitFor('helm rollback to start', () => fake.calls().some((c) => c.argv[0] === 'rollback'));
    child.stdin?.write('\u0003');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(events().find((e) => e.type === 'command-end' && String(e.command).startsWith('helm rollback'))).toMatchObject({ exitCode: 0, signal: null });
    expect(fake.calls().filter((c) => c.argv[0] === 'rollout')).toEqual([]);
    expect(result.stdout).toContain('SIGINT received: no new command will start and the waits are stopped; helm rollback of videokit-api is left to finish');
  });

  it('^C at the confirmation prompt declines it and stops: exit 130, nothing written', async () => {
    const { child, fake, events } = onTerminal([...DRILL_ARGS, '--execute'], []);
    // The prompt is on the terminal once its question is: ^C typed before that would hit the plan, not the prompt.
    let screen = '';
    child.stdout?.on('data', (chunk: Buffer) => (screen += chunk.toString('utf8')));
    await waitFor('the prompt', () => screen.includes('Type "yes" to go ahead'));
    child.stdin?.write('\u0003');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(fake.calls().filter((c) => c.argv[0] === 'rollback')).toEqual([]);
    expect(events().find((e) => e.type === 'confirmation')).toMatchObject({ confirmed: false, how: 'prompt' });
    expect(events().at(-1)).toMatchObject({ type: 'outcome', status: 'interrupted', exitCode: 130, message: 'interrupted by SIGINT during confirmation; nothing was changed' });
  });
});
