// Renders an after-action report's HTML in headless Chromium, to look at it the way
// a browser (and its print view) will. Not part of `npm test`: it needs Chromium
// (Debian: apt-get install -y chromium), which CI does not install.
//   node scripts/render-report.mjs <transcript.jsonl | report.html> [out.png] [--pdf]
// A .jsonl transcript is first rendered with the built CLI (`report --format html`).
// Prints the paths of the HTML, the screenshot and (with --pdf) the printed PDF.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const pdf = process.argv.includes('--pdf');
const [input, outArg] = args;
if (input === undefined) {
  process.stderr.write('usage: node scripts/render-report.mjs <transcript.jsonl | report.html> [out.png] [--pdf]\n');
  process.exit(2);
}
const chromium = ['chromium', 'chromium-browser', 'google-chrome']
  .map((name) => ['/usr/bin', '/usr/local/bin'].map((dir) => join(dir, name)))
  .flat()
  .find((path) => existsSync(path));
if (chromium === undefined) {
  process.stderr.write('Chromium not found: apt-get install -y chromium\n');
  process.exit(2);
}

const work = mkdtempSync(join(tmpdir(), 'vkr-render-'));
let html = resolve(input);
if (!html.endsWith('.html')) {
  html = join(work, `${basename(input).replace(/\.jsonl$/, '')}.html`);
  execFileSync(process.execPath, [join(root, 'bin/videokit-rollback.js'), 'report', resolve(input), '--format', 'html', '--output', html], { stdio: 'inherit' });
}
const png = resolve(outArg ?? join(work, `${basename(html, '.html')}.png`));

/**
 * The height of the whole page at this width, so that the screenshot holds all of it:
 * the report has no script of its own, so a copy with one that writes the height into
 * the title is loaded, and Chromium's --dump-dom prints the result.
 */
function pageHeight(file, width) {
  const probe = join(work, 'measure.html');
  // scrollHeight: everything the page scrolls through, margins included (at least the window's 800 px).
  const script = '<script>document.title = String(document.documentElement.scrollHeight)</script>';
  writeFileSync(probe, readFileSync(file, 'utf8').replace('</body>', `${script}</body>`));
  const dom = execFileSync(chromium, [...flags, `--window-size=${width},800`, '--dump-dom', `file://${probe}`], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const measured = Number(/<title>(\d+)<\/title>/.exec(dom)?.[1]);
  if (!Number.isFinite(measured) || measured <= 0) throw new Error('could not measure the page height');
  return measured;
}

// A fresh profile and no background traffic: the page must render from the file alone.
const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--hide-scrollbars',
  `--user-data-dir=${mkdtempSync(join(tmpdir(), 'vkr-chromium-'))}`,
];
const url = `file://${html}`;
const width = 1280;
const height = pageHeight(html, width);
if (height > 16_384) process.stderr.write(`the page is ${height} px tall: Chromium may cut a screenshot this long; --pdf prints all of it\n`);
execFileSync(chromium, [...flags, `--window-size=${width},${height}`, `--screenshot=${png}`, url], { stdio: 'ignore' });
process.stdout.write(`html: ${html}\npng:  ${png}\n`);
if (pdf) {
  const out = png.replace(/\.png$/, '.pdf');
  execFileSync(chromium, [...flags, '--no-pdf-header-footer', `--print-to-pdf=${out}`, url], { stdio: 'ignore' });
  process.stdout.write(`pdf:  ${out}\n`);
}
