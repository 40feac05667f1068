import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { DRILL_ARGS, drillRules } from '../support/drillRules.js';
import { createFakeTools } from '../support/fakeTools.js';
import { planRules } from '../support/planRules.js';

/**
 * The package as operators get it: `npm pack` of the built dist/ (npm test builds first),
 * installed locally, globally into a temporary prefix, and run through npx. Everything
 * runtime is bundled into dist/, so none of these installs needs the registry: they run
 * with --offline and an empty npm cache, which would fail on any dependency to fetch.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };

interface PackResult {
  filename: string;
  size: number;
  files: { path: string }[];
}

let work: string;
let tarball: string;
let packed: PackResult;

/** npm with its own cache and no registry access, outside the repository. */
function npm(args: string[], cwd: string) {
  return execa('npm', [...args, '--offline', '--no-audit', '--no-fund', '--loglevel', 'error'], {
    cwd,
    env: { npm_config_cache: join(work, 'npm-cache'), npm_config_update_notifier: 'false' },
    stdin: 'ignore',
  });
}

/** Runs an installed bin with a clean environment: no repository node_modules to lean on. */
function runInstalled(file: string, args: string[], env: Record<string, string> = {}) {
  return execa(file, args, {
    reject: false,
    cwd: work,
    extendEnv: false,
    env: { PATH: `${resolve(process.execPath, '..')}:/usr/bin:/bin`, HOME: work, ...env },
    stdin: 'ignore',
  });
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'vkr-pack-'));
  // --ignore-scripts: dist/ is already built; prepack would rebuild it under the other test files' feet.
  const { stdout } = await execa('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT });
  packed = (JSON.parse(stdout) as PackResult[])[0] as PackResult;
  tarball = join(work, packed.filename);
}, 60_000);

describe('npm pack', () => {
  it('holds only what runs: bin, the bundled dist, README, LICENSE and the bundled licences', () => {
    const paths = packed.files.map((f) => f.path).sort();
    // How esbuild splits shared code into chunks is its own business; that only bundled code ships is ours.
    const named = paths.map((p) => p.replace(/-[A-Z0-9]{8}\.js$/, '-<hash>.js'));
    expect(named.filter((p) => p === 'dist/chunk-<hash>.js').length).toBeGreaterThan(0);
    expect(named.filter((p) => p !== 'dist/chunk-<hash>.js')).toEqual([
      'LICENSE',
      'README.md',
      'bin/videokit-rollback.js',
      'dist/THIRD-PARTY-NOTICES.txt',
      'dist/cli.js',
      'dist/main.js',
      'dist/manifestDiff-<hash>.js', // yaml and diff, loaded only by --diff
      'dist/ora-<hash>.js',
      'package.json',
    ]);
    expect(packed.size).toBeLessThan(400_000);
  });

  it('declares no runtime dependency, so installing it never needs the registry', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.bin).toEqual({ 'videokit-rollback': 'bin/videokit-rollback.js' });
  });
});

describe('installed from the tarball', () => {
  it('a local install runs --version, --help and a dry-run against fake tools', async () => {
    const project = mkdtempSync(join(work, 'local-'));
    await npm(['install', tarball], project);
    const bin = join(project, 'node_modules/.bin/videokit-rollback');

    const version = await runInstalled(bin, ['--version']);
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);

    const help = await runInstalled(bin, ['--help']);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toMatch(/^Usage: videokit-rollback /);

    // The whole CLI (commander, execa, zod, chalk) must be inside the bundle: a real run proves it.
    // --diff loads its own chunk (yaml, diff) only then: it must be in the package and load from it.
    const fake = createFakeTools([...planRules(), ...drillRules()]);
    const run = await runInstalled(bin, [...DRILL_ARGS, '--dry-run', '--diff', '--output', 'json'], {
      ...fake.env,
      TARGET_ENV: 'prod-eu-west-1',
      PATH: `${fake.dir}:${resolve(process.execPath, '..')}:/usr/bin:/bin`,
    });
    expect(run.stderr).not.toMatch(/error/);
    expect(run.exitCode).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.outcome.status).toBe('planned');
    expect(doc.diff.map((d: { release: string }) => d.release)).toEqual(['videokit-api', 'videokit-worker']);
  });

  it('a global install into a prefix puts videokit-rollback on that prefix\'s bin', async () => {
    const prefix = mkdtempSync(join(work, 'global-'));
    await npm(['install', '--global', '--prefix', prefix, tarball], work);
    const version = await runInstalled(join(prefix, 'bin/videokit-rollback'), ['--version']);
    expect(version.exitCode).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
  });

  it('npx ./<tarball> --help runs it without installing', async () => {
    // A relative spec: npx runs an absolute path as an executable file instead of a package.
    const result = await execa('npx', ['--yes', `./${packed.filename}`, '--help'], {
      cwd: work,
      env: { npm_config_cache: join(work, 'npx-cache'), npm_config_offline: 'true', npm_config_update_notifier: 'false' },
      stdin: 'ignore',
    });
    expect(result.stdout).toMatch(/^Usage: videokit-rollback /);
  });
});
