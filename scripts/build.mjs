// Bundles the CLI for the bin, in two parts:
// - dist/cli.js, a small entry with no static import: it answers a bare --version or
//   --help from text rendered here at build time by the very commander program the run
//   uses (src/cli/helpText.ts), so those start about as fast as Node itself;
// - dist/main.js, everything else (commander, execa, zod, chalk), which the entry imports
//   only when the argv needs it; ora stays a separate chunk, loaded only on a terminal.
//
// Every runtime dependency is bundled, so the published package needs nothing from
// the registry at install time (package.json lists them as devDependencies). Their
// licences travel with the bundle in dist/THIRD-PARTY-NOTICES.txt.
//
// No source maps: the bundle is not minified and esbuild marks each module with its
// source path (`// src/app/rollback.ts`), so a stack trace into dist/ is already
// readable; maps would more than double the package for no gain.
import { build } from 'esbuild';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');

const common = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // Some CommonJS dependencies call require(): give the ESM bundle one.
  banner: { js: "import { createRequire as __vkCreateRequire } from 'node:module'; const require = __vkCreateRequire(import.meta.url);" },
};

/** Renders `--help` with the very program the run path uses (src/cli/helpText.ts). */
async function renderHelp(version) {
  const dir = mkdtempSync(join(tmpdir(), 'vkr-build-'));
  try {
    const outfile = join(dir, 'help.mjs');
    await build({ ...common, entryPoints: ['src/cli/helpText.ts'], outfile });
    const { renderHelp: render } = await import(pathToFileURL(outfile).href);
    return render(version);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const help = await renderHelp(version);

rmSync(dist, { recursive: true, force: true });

// The entry. Its dynamic import of the run path stays a dynamic import of dist/main.js.
const runPathExternal = {
  name: 'run-path-external',
  setup(b) {
    b.onResolve({ filter: /^\.\/cli\/main\.js$/ }, () => ({ path: './main.js', external: true }));
  },
};
await build({
  ...common,
  banner: {}, // nothing in the entry calls require(); not even node:module gets loaded
  entryPoints: { cli: 'src/index.ts' },
  outdir: 'dist',
  define: { __VKR_BUILT_TEXTS__: JSON.stringify({ version, help }) },
  plugins: [runPathExternal],
});

// The run path, with ora in its own chunk.
const result = await build({
  ...common,
  entryPoints: { main: 'src/cli/main.ts' },
  outdir: 'dist',
  splitting: true,
  metafile: true,
});

// The GitHub Action (action.yml, runs.using node24, main dist/action.js): the whole CLI in
// one file, so a job runs it without installing anything. Built on its own so it shares no
// chunk with the CLI: package.json leaves dist/action.js out of the npm package.
await build({
  ...common,
  entryPoints: { action: 'src/action/main.ts' },
  outdir: 'dist',
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
