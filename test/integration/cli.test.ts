import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFaked } from '../support/inProcessCli.js';
import { spawnBuiltCli, waitFor } from '../support/cli.js';
import { CTX, DRILL_ARGS, NS, drillRules, normaliseTimeouts } from '../support/drillRules.js';
import { createFakeTools } from '../support/fakeTools.js';
import { readRecord } from '../support/record.js';
import { verifyTranscript } from '../../src/record/verify.js';
import { checkEvent } from '../../src/record/schemaCheck.js';

const workdir = () => mkdtempSync(join(tmpdir(), 'vkr-run-'));

function setup(rules = drillRules()) {
  const fake = createFakeTools(rules);
  const cwd = workdir();
  const run = (args: string[], env: Record<string, string> = {}) =>
    runFaked(fake, args, { cwd, env: { ...fake.env, ...env } });
  return { fake, cwd, run };
}

const isWrite = (argv: string[]) => argv[0] === 'rollback';

/** A release's lock as the dry-run shows it: who, pid, run id and times vary by run. */
const lockLine = (release: string) =>
  new RegExp(
    `^kubectl create configmap videokit-rollback-lock\\.${release} --namespace ${NS} --context ${CTX} --from-literal release=${release} ` +
      "--from-literal '?holder=\\S+@\\S+'? --from-literal pid=\\d+ --from-literal run=[0-9a-f-]{36} --from-literal since=\\S+ --from-literal deadline=\\S+ --request-timeout 30s$",
  );
const unlockLine = (release: string) => `kubectl delete configmap videokit-rollback-lock.${release} --namespace ${NS} --context ${CTX} --ignore-not-found --request-timeout 30s`;

describe('dry-run', () => {
  it('runs only reads, plans 41 and 17, and prints the exact write commands', async () => {
    const { fake, run } = setup();
    const result = await run([...DRILL_ARGS, '--dry-run'], { TARGET_ENV: 'prod-eu-west-1' });
    expect(result.stderr).not.toMatch(/error/);
    expect(result.exitCode).toBe(0);
    expect(fake.calls().filter((c) => isWrite(c.argv))).toEqual([]);
    expect(fake.calls().map((c) => `${c.tool} ${c.argv[0]} ${c.argv[1]}`).sort()).toEqual([
      'helm history videokit-api',
      'helm history videokit-worker',
      'kubectl get deployments,statefulsets,daemonsets',
      'kubectl get deployments,statefulsets,daemonsets',
    ]);
    expect(result.stdout).toMatch(/target\s+41\s+superseded/);
    expect(result.stdout).toMatch(/target\s+17\s+superseded/);
    const commands = result.stdout.split('Commands --execute would run')[1];
    expect(commands?.trim().split('\n').slice(1).map((l) => l.trim())).toEqual([
      expect.stringMatching(lockLine('videokit-api')),
      `helm history videokit-api --namespace ${NS} --kube-context ${CTX} --output json --max 1`,
      `helm rollback videokit-api 41 --namespace ${NS} --kube-context ${CTX} --wait --timeout 10m0s`,
      `kubectl rollout status deployment/videokit-api --namespace ${NS} --context ${CTX} --timeout 10m0s`,
      `kubectl get pods --namespace ${NS} --context ${CTX} --selector app.kubernetes.io/instance=videokit-api --output wide --request-timeout 10m0s`,
      unlockLine('videokit-api'),
      expect.stringMatching(lockLine('videokit-worker')),
      `helm history videokit-worker --namespace ${NS} --kube-context ${CTX} --output json --max 1`,
      `helm rollback videokit-worker 17 --namespace ${NS} --kube-context ${CTX} --wait --timeout 10m0s`,
      `kubectl rollout status deployment/videokit-worker --namespace ${NS} --context ${CTX} --timeout 10m0s`,
      `kubectl get pods --namespace ${NS} --context ${CTX} --selector app.kubernetes.io/instance=videokit-worker --output wide --request-timeout 10m0s`,
      unlockLine('videokit-worker'),
    ]);
    expect(result.stdout).not.toContain("\u001b["); // no colour without a terminal
  });

  it('resolves a missing context once, warns, and uses it explicitly', async () => {
    const { fake, run } = setup(drillRules({ overrides: [{ tool: 'kubectl', args: ['config', 'current-context'], stdout: `${CTX}\n` }] }));
    const args = DRILL_ARGS.filter((a, i) => a !== '--context' && DRILL_ARGS[i - 1] !== '--context');
    const result = await run([...args, '--dry-run']);
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(`context resolved from the kubeconfig: ${CTX}`);
    expect(result.stderr).toMatch(/--execute will need it explicit/);
    const calls = fake.calls();
    expect(calls[0]?.argv).toEqual(['config', 'current-context']);
    for (const call of calls.slice(1)) expect(call.argv).toContain(CTX);
  });

  it('prints one JSON document and nothing else on stdout', async () => {
    const { run } = setup();
    const result = await run([...DRILL_ARGS, '--dry-run', '--output', 'json']);
    expect(result.exitCode).toBe(0);
    const doc = JSON.parse(result.stdout);
    expect(doc.outcome).toMatchObject({ status: 'planned', exitCode: 0 });
    expect(doc.plan.releases.map((r: { target: { revision: number } }) => r.target.revision)).toEqual([41, 17]);
    // Per release: the lock, helm rollback, the unlock.
    expect(doc.plannedCommands.filter((c: { effect: string }) => c.effect === 'write').map((c: { argv: string[] }) => c.argv.slice(1, 3).join(' '))).toEqual([
      'create configmap', 'rollback videokit-api', 'delete configmap', 'create configmap', 'rollback videokit-worker', 'delete configmap',
    ]);
    expect(doc.commands.every((c: { effect: string }) => c.effect === 'read')).toBe(true);
  });
});

describe('execute', () => {
  it('runs exactly the expected commands in order and keeps a transcript', async () => {
    const { fake, run, cwd } = setup();
    const result = await run([...DRILL_ARGS, '--execute', '--yes', '--timeout', '10m'], { TARGET_ENV: 'prod-eu-west-1' });
    expect(result.stderr).not.toMatch(/error/);
    expect(result.exitCode).toBe(0);
    const afterPlanning = fake.calls().slice(4, 16).map((c) => [c.tool, ...normaliseTimeouts(c.argv)]);
    expect(afterPlanning.map((argv) => (argv[2] === 'configmap' ? argv.slice(0, 4) : argv))).toEqual([
      ['kubectl', 'create', 'configmap', 'videokit-rollback-lock.videokit-api'],
      ['helm', 'history', 'videokit-api', '--namespace', NS, '--kube-context', CTX, '--output', 'json', '--max', '1'],
      ['helm', 'rollback', 'videokit-api', '41', '--namespace', NS, '--kube-context', CTX, '--wait', '--timeout', '<duration>'],
      ['kubectl', 'rollout', 'status', 'deployment/videokit-api', '--namespace', NS, '--context', CTX, '--timeout', '<duration>'],
      ['kubectl', 'get', 'pods', '--namespace', NS, '--context', CTX, '--selector', 'app.kubernetes.io/instance=videokit-api', '--output', 'wide', '--request-timeout', '<duration>'],
      ['kubectl', 'delete', 'configmap', 'videokit-rollback-lock.videokit-api'],
      ['kubectl', 'create', 'configmap', 'videokit-rollback-lock.videokit-worker'],
      ['helm', 'history', 'videokit-worker', '--namespace', NS, '--kube-context', CTX, '--output', 'json', '--max', '1'],
      ['helm', 'rollback', 'videokit-worker', '17', '--namespace', NS, '--kube-context', CTX, '--wait', '--timeout', '<duration>'],
      ['kubectl', 'rollout', 'status', 'deployment/videokit-worker', '--namespace', NS, '--context', CTX, '--timeout', '<duration>'],
      ['kubectl', 'get', 'pods', '--namespace', NS, '--context', CTX, '--selector', 'app.kubernetes.io/instance=videokit-worker', '--output', 'wide', '--request-timeout', '<duration>'],
      ['kubectl', 'delete', 'configmap', 'videokit-rollback-lock.videokit-worker'],
    ]);
    // Then where each release stands now, for the report: the planning reads again, per release.
    const stateReads = fake.calls().slice(16).map((c) => [c.tool, ...c.argv]);
    expect(stateReads.slice(0, 2).sort()).toEqual([
      ['helm', 'history', 'videokit-api', '--namespace', NS, '--kube-context', CTX, '--output', 'json', '--max', '256'],
      ['kubectl', 'get', 'deployments,statefulsets,daemonsets', '--namespace', NS, '--context', CTX, '--selector', 'app.kubernetes.io/instance=videokit-api', '--output', 'json'],
    ]);
    expect(stateReads.slice(2).map((argv) => argv.slice(0, 4).join(' ')).sort()).toEqual([
      'helm history videokit-worker --namespace',
      'kubectl get deployments,statefulsets,daemonsets --namespace',
    ]);
    // Each call gets the time still left, never more than the budget.
    for (const call of fake.calls().slice(4, 16).filter((c) => c.argv[0] !== 'history' && c.argv[1] !== 'configmap')) {
      const value = call.argv[call.argv.length - 1] ?? '';
      expect(value).toMatch(/^(9m5\ds|10m0s)$/);
    }
    expect(result.stdout).toMatch(/videokit-api: rolled back from revision 42 to 41/);
    expect(result.stdout).toContain('videokit-api-6d5f7c9b8-abcde   1/1     Running');
    expect(result.stdout).toContain(`helm rollback videokit-api 42 --namespace ${NS} --kube-context ${CTX} --wait --timeout 10m0s`);

    // The default record is JSON Lines, sealed; its text log is rendered beside it.
    const transcriptPath = /^transcript: (.*)$/m.exec(result.stderr)?.[1] ?? '';
    expect(transcriptPath).toMatch(new RegExp(`^${join(cwd, 'reports/deploy/videokit-rollback-')}\\d{8}T\\d{6}Z\\.jsonl$`));
    const digest = /^seal digest \(sha256\): ([0-9a-f]{64})$/m.exec(result.stderr)?.[1];
    expect(verifyTranscript(readFileSync(transcriptPath), checkEvent)).toMatchObject({ status: 'sealed', digest });
    const logPath = /^log: (.*)$/m.exec(result.stderr)?.[1] ?? '';
    expect(logPath).toBe(transcriptPath.replace(/\.jsonl$/, '.log'));
    for (const file of [transcriptPath, logPath]) expect(statSync(file).mode & 0o777).toBe(0o600);
    const transcript = readFileSync(logPath, 'utf8');
    expect(transcript.split('\n').slice(1, 3)).toEqual([expect.stringMatching(/^# verification: intact and sealed \(\d+ lines, 1 run\)$/), `# seal digest (sha256): ${digest}`]);
    for (const call of fake.calls()) expect(transcript).toContain(`$ ${call.tool} ${call.argv.join(' ')}`);
    // The JSON the tool parsed stands as one line each; the record keeps it whole.
    expect(transcript).toMatch(/\[\d+\] stdout: \(json: 1 item, \d+ bytes; kept whole in the record\)/);
    expect(transcript).not.toContain('"apiVersion"');
    expect(transcript).toContain('videokit-worker-6d5f7c9b8-abcde   1/1     Running');
    expect(transcript).toMatch(/TARGET_ENV=prod-eu-west-1 context=prod-eu-west-1-admin namespace=videokit/);
    expect(transcript).toMatch(/outcome: rolled-back exit=0/);
  });

  it('writes JSON Lines to a .jsonl transcript and appends to an existing file', async () => {
    const { run, cwd } = setup();
    const path = join(cwd, 'audit', 'drill.jsonl');
    await run([...DRILL_ARGS, '--dry-run', '--transcript', path]);
    await run([...DRILL_ARGS, '--execute', '--yes', '--transcript', path]);
    const events = readRecord(path);
    expect(events.filter((e) => e.type === 'run-start').map((e) => e.mode)).toEqual(['dry-run', 'execute']);
    // Per release: the lock, the read just before the write, the write, the rollout wait, the Pod listing, the unlock.
    expect(events.filter((e) => e.type === 'command-planned')).toHaveLength(12);
    const ends = events.filter((e) => e.type === 'command-end');
    // Each run: the 3 identity reads of run-start and the 4 planning reads; then 12 commands, 4 state reads.
    expect(ends).toHaveLength(3 + 4 + (3 + 4 + 12 + 4));
    expect(ends.every((e) => typeof e.durationMs === 'number' && e.exitCode === 0)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'outcome', status: 'rolled-back', exitCode: 0 });
  });
});

describe('exit codes', () => {
  it('2: input refused before any command runs', async () => {
    const { fake, run } = setup();
    const cases: [string[], RegExp][] = [
      [[...DRILL_ARGS], /exactly one of --dry-run or --execute/],
      [[...DRILL_ARGS, '--dry-run', '--execute'], /exactly one of --dry-run or --execute/],
      [['--release', 'x;touch /tmp/pwned', '-n', NS, '--dry-run'], /not a valid Helm release name/],
      [['--release', 'a', '--release', 'a', '-n', NS, '--dry-run'], /--release a is given twice/],
      [['--release', 'a', '--dry-run'], /--namespace is required/],
      [[...DRILL_ARGS, '--dry-run', '--timeout', '10'], /--timeout: invalid duration "10"/],
      [[...DRILL_ARGS, '--dry-run', '--to-revision', 'videokit-api=0'], /positive whole number/],
      [[...DRILL_ARGS, '--dry-run', '--bogus'], /unknown option '--bogus'/],
      [[...DRILL_ARGS, '--execute'], /without a terminal needs --yes/],
      [['--release', 'a', '-n', NS, '--execute', '--yes'], /needs an explicit context/],
      [[...DRILL_ARGS, '--dry-run', '--helm', '/nonexistent/helm'], /--helm: "\/nonexistent\/helm" was not found/],
      [[...DRILL_ARGS, '--dry-run', '--target-env', 'staging'], /does not belong to TARGET_ENV "staging"/],
    ];
    for (const [args, message] of cases) {
      const result = await run(args);
      expect({ args, exitCode: result.exitCode }).toEqual({ args, exitCode: 2 });
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    }
    expect(fake.calls()).toEqual([]);
  });

  it('3: planning refused, nothing written', async () => {
    const notFound = setup(
      drillRules({ overrides: [{ tool: 'helm', prefix: ['history', 'videokit-worker'], stderr: 'Error: release: not found\n', exitCode: 1 }] }),
    );
    const r1 = await notFound.run([...DRILL_ARGS, '--execute', '--yes']);
    expect(r1.exitCode).toBe(3);
    expect(r1.stderr).toMatch(/videokit-worker: release not found in namespace videokit/);
    expect(notFound.fake.calls().filter((c) => isWrite(c.argv))).toEqual([]);

    const pending = setup(
      drillRules({
        history: {
          'videokit-api': [{ revision: 41, status: 'superseded' }, { revision: 42, status: 'pending-rollback' }],
          'videokit-worker': [{ revision: 17, status: 'superseded' }, { revision: 18, status: 'deployed' }],
        },
      }),
    );
    const r2 = await pending.run([...DRILL_ARGS, '--execute', '--yes']);
    expect(r2.exitCode).toBe(3);
    expect(r2.stderr).toMatch(/pending-rollback/);
    expect(pending.fake.calls().filter((c) => isWrite(c.argv))).toEqual([]);
    const r3 = await pending.run([...DRILL_ARGS, '--execute', '--yes', '--allow-pending']);
    expect(r3.exitCode).toBe(0);

    const unreachable = setup(
      drillRules({ overrides: [{ tool: 'helm', prefix: ['history'], stderr: 'Error: Kubernetes cluster unreachable: connection refused\n', exitCode: 1 }] }),
    );
    const r4 = await unreachable.run([...DRILL_ARGS, '--dry-run']);
    expect(r4.exitCode).toBe(3);
    expect(r4.stderr).toMatch(/helm history exited 1: Error: Kubernetes cluster unreachable/);
  });

  it('4: a failed helm rollback stops the run and names the restore command', async () => {
    const { fake, run } = setup(
      drillRules({ overrides: [{ tool: 'helm', prefix: ['rollback', 'videokit-api'], stderr: 'Error: timed out waiting for the condition\n', exitCode: 1 }] }),
    );
    const result = await run([...DRILL_ARGS, '--execute', '--yes']);
    expect(result.exitCode).toBe(4);
    expect(result.stdout).toMatch(/videokit-api: rollback to 41 FAILED/);
    expect(result.stdout).toMatch(/videokit-worker: not touched \(still at revision 18\)/);
    expect(result.stdout).toContain(`helm rollback videokit-api 42 --namespace ${NS} --kube-context ${CTX} --wait --timeout 10m0s`);
    expect(fake.calls().some((c) => c.argv[0] === 'rollback' && c.argv[1] === 'videokit-worker')).toBe(false);
  });

  it('5: a rollout that never becomes healthy', async () => {
    const { fake, run } = setup(
      drillRules({
        overrides: [
          {
            tool: 'kubectl',
            prefix: ['rollout', 'status', 'deployment/videokit-worker'],
            stderr: 'error: deployment "videokit-worker" exceeded its progress deadline\n',
            exitCode: 1,
          },
        ],
      }),
    );
    const result = await run([...DRILL_ARGS, '--execute', '--yes', '--output', 'json']);
    expect(result.exitCode).toBe(5);
    const doc = JSON.parse(result.stdout);
    expect(doc.outcome.status).toBe('unhealthy');
    expect(doc.releases.map((r: { release: string; result: string }) => [r.release, r.result])).toEqual([
      ['videokit-api', 'rolled-back'],
      ['videokit-worker', 'unhealthy'],
    ]);
    expect(doc.restoreCommands).toHaveLength(2);
    expect(fake.calls().filter((c) => c.argv[0] === 'get' && c.argv[1] === 'pods')).toHaveLength(1);
  });

  it('3: every release skipped', async () => {
    const { run } = setup(
      drillRules({ history: { 'videokit-api': [{ revision: 1, status: 'deployed' }], 'videokit-worker': [{ revision: 1, status: 'deployed' }] } }),
    );
    const result = await run([...DRILL_ARGS, '--dry-run']);
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(/nothing to roll back/);
  });

  it('130: SIGINT during a wait stops the run and records it', async () => {
    const { cwd, fake } = setup(
      drillRules({ overrides: [{ tool: 'kubectl', prefix: ['rollout', 'status', 'deployment/videokit-api'], delayMs: 60_000 }] }),
    );
    const path = join(cwd, 't.jsonl');
    const child = spawnBuiltCli([...DRILL_ARGS, '--execute', '--yes', '--transcript', path], { cwd, path: [fake.dir], env: { ...fake.env, HOME: tmpdir() } });
    await waitFor('kubectl rollout status to start', () => fake.calls().some((c) => c.argv[0] === 'rollout'));
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    const events = readRecord(path);
    expect(events.some((e) => e.type === 'interrupt' && e.signal === 'SIGINT')).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'outcome', status: 'interrupted', exitCode: 130 });
    expect(fake.calls().some((c) => c.argv[1] === 'videokit-worker' && c.argv[0] === 'rollback')).toBe(false);
  });
});
