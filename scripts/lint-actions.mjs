// Validates every GitHub workflow and action.yml with action-validator (it takes one
// file per run). They cannot run here, so a schema check is the least they get.
//
// action-validator 0.6.0 (the latest) bundles a schema that knows `runs.using` node12,
// node16 and node20 but not node24, which GitHub's runners have run since 2025. An
// action.yml on node24 is checked as a copy saying node20: every other field is checked
// as written.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const files = readdirSync('.github/workflows')
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => join('.github/workflows', f));
if (existsSync('action.yml')) files.push('action.yml');

const scratch = mkdtempSync(join(tmpdir(), 'vkr-lint-actions-'));

/** The file action-validator is given: action.yml on node24 as a node20 copy (see above). */
function checkedFile(file) {
  const text = readFileSync(file, 'utf8');
  if (file !== 'action.yml' || !/^ {2}using: node24$/m.test(text)) return file;
  const copy = join(scratch, 'action.yml');
  writeFileSync(copy, text.replace(/^ {2}using: node24$/m, '  using: node20'));
  return copy;
}

let failed = 0;
for (const file of files) {
  try {
    execFileSync(join('node_modules', '.bin', 'action-validator'), [checkedFile(file)], { stdio: ['ignore', 'inherit', 'pipe'] });
    console.log(`action-validator: ${file} ok`);
  } catch (error) {
    failed++;
    process.stderr.write(error.stderr ?? '');
    console.error(`action-validator: ${file} FAILED`);
  }
}
rmSync(scratch, { recursive: true, force: true });
process.exit(failed === 0 ? 0 : 1);
