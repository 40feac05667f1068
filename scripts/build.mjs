// Bundles the CLI into one ESM file: loading one file instead of ~150 modules is
// what lets `--help` and `--version` start about as fast as Node itself.
// ora stays a separate chunk, loaded only on a terminal (dynamic import).
//
// Every runtime dependency is bundled, so the published package needs nothing from
// the registry at install time (package.json lists them as devDependencies). Their
// licences travel with the bundle in dist/THIRD-PARTY-NOTICES.txt.
//
// No source maps: the bundle is not minified and esbuild marks each module with its
// source path (`// src/cli/perform.ts`), so a stack trace into dist/ is already
// readable; maps would more than double the package for no gain.
import { build } from 'esbuild';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');

rmSync(dist, { recursive: true, force: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { cli: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
  // Some CommonJS dependencies call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __vkCreateRequire } from 'node:module'; const require = __vkCreateRequire(import.meta.url);" },
});

// The GitHub Action's step (action.yml), built on its own so it shares no chunk with the
// CLI: package.json leaves dist/action.js out of the npm package.
await build({
  absWorkingDir: root,
  entryPoints: { action: 'src/action/main.ts' },
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  logLevel: 'warning',
});

/** The package folders whose code ended up in the bundle, e.g. node_modules/@sec-ant/readable-stream. */
function bundledPackages(metafile) {
  const folders = new Set();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match !== null) folders.add(match[1]);
  }
  return [...folders].sort();
}

function licenceText(folder) {
  const file = readdirSync(folder).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
  return file === undefined ? undefined : readFileSync(join(folder, file), 'utf8').trim();
}

const notices = [];
for (const folder of bundledPackages(result.metafile)) {
  const pkg = JSON.parse(readFileSync(join(root, folder, 'package.json'), 'utf8'));
  const text = existsSync(join(root, folder)) ? licenceText(join(root, folder)) : undefined;
  if (text === undefined) throw new Error(`${pkg.name}: bundled, but no licence file found in ${folder}`);
  notices.push(`${pkg.name}@${pkg.version} (${pkg.license})\n\n${text}\n`);
}
writeFileSync(
  join(dist, 'THIRD-PARTY-NOTICES.txt'),
  `dist/ bundles the following packages; their licences follow.\n\n${notices.join(`\n${'-'.repeat(72)}\n\n`)}`,
);
