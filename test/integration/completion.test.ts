import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, runBuiltCli } from '../support/cli.js';
import { CTX, NS } from '../support/drillRules.js';
import { createFakeTools, type FakeRule } from '../support/fakeTools.js';

const LIST = ['list', '--short', '--deployed', '--failed', '--pending', '--namespace', NS, '--kube-context', CTX, '--max', '256'];
const listRule = (extra: Partial<FakeRule> = {}): FakeRule => ({ tool: 'helm', args: LIST, stdout: 'videokit-api\nvideokit-worker\n', ...extra });
const installed = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;

/** A PATH holding fake helm/kubectl and `videokit-rollback` itself, as an installed CLI would be. */
function setup(rules: FakeRule[] = [listRule()]) {
  const fake = createFakeTools(rules);
  const binDir = mkdtempSync(join(tmpdir(), 'vkr-completion-'));
  const self = join(binDir, 'videokit-rollback');
  writeFileSync(self, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(self, 0o755);
  const env = { ...fake.env, PATH: `${binDir}:${fake.dir}:/usr/bin:/bin`, HOME: binDir };
  return { fake, env };
}

/**
 * Sources the bash script and calls its function the way bash does on TAB: COMP_WORDS as
 * bash splits the line (`=` is a word of its own), COMP_CWORD the word being completed.
 */
let bashScript: Promise<string> | undefined;
async function bashComplete(words: string[], env: Record<string, string>, cwd?: string): Promise<string[]> {
  bashScript ??= runBuiltCli(['completion', 'bash']).then((r) => r.stdout);
  const script = { stdout: await bashScript };
  const quoted = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');
  const program = `${script.stdout}\nCOMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; COMPREPLY=(); _videokit_rollback; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = await execa('bash', ['--norc', '--noprofile', '-c', program], { env, extendEnv: false, ...(cwd === undefined ? {} : { cwd }) });
  return result.stdout.split('\n').filter(Boolean);
}

describe('completion bash', () => {
  it('completes options, --output values and the subcommand', async () => {
    const { env, fake } = setup();
    expect(await bashComplete(['videokit-rollback', '--na'], env)).toEqual(['--namespace']);
    expect(await bashComplete(['videokit-rollback', '--release', 'a', '--dry'], env)).toEqual(['--dry-run']);
    expect(await bashComplete(['videokit-rollback', '--output', ''], env)).toEqual(['text', 'json']);
    expect(await bashComplete(['videokit-rollback', '--output', '=', 'j'], env)).toEqual(['json']);
    expect(await bashComplete(['videokit-rollback', 'comp'], env)).toEqual(['completion']);
    expect(await bashComplete(['videokit-rollback', 'completion', ''], env)).toEqual(['bash', 'zsh', 'fish']);
    expect(fake.calls()).toEqual([]);
  });

  it('completes release names from helm list in the namespace and context typed so far', async () => {
    const { env, fake } = setup();
    const words = ['videokit-rollback', '--namespace', NS, '--context', '=', CTX, '--release', 'videokit-w'];
    expect(await bashComplete(words, env)).toEqual(['videokit-worker']);
    expect(fake.calls().map((c) => [c.tool, ...c.argv])).toEqual([['helm', ...LIST]]);
  });

  it('takes the context from $KUBE_CONTEXT, else from the kubeconfig, and always names it', async () => {
    const fromEnv = setup();
    expect(await bashComplete(['videokit-rollback', '-n', NS, '-r', ''], { ...fromEnv.env, KUBE_CONTEXT: CTX })).toEqual(['videokit-api', 'videokit-worker']);
    expect(fromEnv.fake.calls().map((c) => c.argv)).toEqual([LIST]);

    const fromKubeconfig = setup([listRule(), { tool: 'kubectl', args: ['config', 'current-context'], stdout: `${CTX}\n` }]);
    expect(await bashComplete(['videokit-rollback', '-n', NS, '-r', ''], fromKubeconfig.env)).toEqual(['videokit-api', 'videokit-worker']);
    expect(fromKubeconfig.fake.calls().map((c) => [c.tool, ...c.argv])).toEqual([['kubectl', 'config', 'current-context'], ['helm', ...LIST]]);
  });

  it('uses the namespace and context of the config file, like a run does', async () => {
    const { env, fake } = setup();
    const cwd = mkdtempSync(join(tmpdir(), 'vkr-completion-cwd-'));
    writeFileSync(join(cwd, 'videokit-rollback.config.json'), JSON.stringify({ namespace: NS, context: CTX }));
    expect(await bashComplete(['videokit-rollback', '--release', 'videokit-a'], env, cwd)).toEqual(['videokit-api']);
    expect(fake.calls().map((c) => c.argv)).toEqual([LIST]);
  });

  it('offers no names, quietly, without a namespace, when helm fails, prints junk, or takes over a second', async () => {
    const none = setup();
    expect(await bashComplete(['videokit-rollback', '--context', CTX, '--release', ''], none.env)).toEqual([]);
    expect(none.fake.calls()).toEqual([]);

    const words = ['videokit-rollback', '--namespace', NS, '--context', CTX, '--release', ''];
    const failing = setup([listRule({ stdout: '', stderr: 'Error: Kubernetes cluster unreachable\n', exitCode: 1 })]);
    expect(await bashComplete(words, failing.env)).toEqual([]);
    const junk = setup([listRule({ stdout: 'NAME\tNAMESPACE\nvideokit-api\tvideokit\n' })]);
    expect(await bashComplete(words, junk.env)).toEqual([]);

    const slow = setup([listRule({ delayMs: 10_000 })]);
    const started = Date.now();
    expect(await bashComplete(words, slow.env)).toEqual([]);
    // Bounds the behaviour (helm is given a second), not a speed goal: helm here takes 10 s.
    expect(Date.now() - started).toBeLessThan(6_000);
  });
});

describe('completion', () => {
  it('completion --help explains itself and exits 0', async () => {
    const result = await runBuiltCli(['completion', '--help']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^Usage: videokit-rollback completion \[options\] \[shell\]\n/);
    expect(result.stdout).toContain('bash | zsh | fish');
    expect(result.stdout).not.toContain('--releases');
  });

  it('refuses an unknown shell with exit code 2 and one line', async () => {
    const result = await runBuiltCli(['completion', 'tcsh']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toBe('videokit-rollback: error: completion needs a shell: bash, zsh, fish (not "tcsh")\n  hint: e.g. source <(videokit-rollback completion bash)');
  });

  it.skipIf(!installed('fish'))('fish completes options, --output values and release names', async () => {
    const { env } = setup();
    const script = await runBuiltCli(['completion', 'fish'], { env });
    const complete = async (line: string) => {
      const result = await execa('fish', ['--no-config', '-c', `${script.stdout}\ncomplete -C ${JSON.stringify(line)}`], { env, extendEnv: false });
      return result.stdout.split('\n').map((l) => l.split('\t')[0]);
    };
    expect(await complete('videokit-rollback --outp')).toEqual(['--output']);
    expect(await complete('videokit-rollback --output ')).toEqual(['json', 'text']);
    expect(await complete(`videokit-rollback -n ${NS} --context ${CTX} --release videokit-`)).toEqual(['videokit-api', 'videokit-worker']);
  });

  it.skipIf(!installed('zsh'))('the zsh script parses and, sourced after compinit, registers its function', async () => {
    const script = await runBuiltCli(['completion', 'zsh']);
    const syntax = await execa('zsh', ['-n'], { input: script.stdout, reject: false });
    expect(syntax.exitCode, syntax.stderr).toBe(0);
    expect(script.stdout.startsWith('#compdef videokit-rollback\n')).toBe(true);
    const dir = mkdtempSync(join(tmpdir(), 'vkr-zsh-'));
    writeFileSync(join(dir, 'completion.zsh'), script.stdout);
    const registered = await execa('zsh', ['-f', '-c', `autoload -Uz compinit && compinit -u -d ${dir}/zcompdump; source ${dir}/completion.zsh; print -r -- \${_comps[videokit-rollback]}`]);
    expect(registered.stdout).toBe('_videokit_rollback');
  });
});
