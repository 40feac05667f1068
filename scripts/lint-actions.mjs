// Validates every GitHub workflow and action.yml with action-validator (it takes one
// file per run). They cannot run here, so a schema check is the least they get.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const files = readdirSync('.github/workflows')
  .filter((f) => /\.ya?ml$/.test(f))
  .map((f) => join('.github/workflows', f));
if (existsSync('action.yml')) files.push('action.yml');

let failed = 0;
for (const file of files) {
  try {
    execFileSync(join('node_modules', '.bin', 'action-validator'), [file], { stdio: ['ignore', 'inherit', 'pipe'] });
    console.log(`action-validator: ${file} ok`);
  } catch (error) {
    failed++;
    process.stderr.write(error.stderr ?? '');
    console.error(`action-validator: ${file} FAILED`);
  }
}
process.exit(failed === 0 ? 0 : 1);
