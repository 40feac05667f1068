import { configDefaults, defineConfig } from 'vitest/config';
import { realBinaries } from './test/support/binaries.js';

/** Test files that need the real helm and kubectl in every test they hold. */
const REAL_BINARY_TESTS = ['test/e2e/**', 'test/contract/**', 'test/sandbox/sandbox.test.ts'];

// Off linux x64 some or all pairs may have no binaries (see scripts/tools.mjs): say so in
// one line, and leave out the files that would have no test to run.
const real = realBinaries();
if (real.skipped !== undefined) console.log(`\n${real.skipped}\n`);

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(real.pairs.length === 0 ? REAL_BINARY_TESTS : [])],
    // End-to-end stories run the CLI against the sandbox several times; on a busy 2-core
    // machine they pass 30 s. The limit is for a hung test, not a speed goal (npm run bench).
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // vitest's default is one worker fewer than the cores: one, on a 2-core machine. Most
    // test time is spent waiting on helm's and kubectl's own waits and on subprocesses:
    // three files at a time keep both cores busy (219 s with two, 180 s with three, here).
    maxWorkers: 4,
    // Each file re-importing the sources costs more CPU than the tests of most unit files.
    // Safe here: no test mocks modules, and process-wide state (env, exit code, signal
    // handlers) is only ever touched by the CLI in its own subprocess.
    isolate: false,
  },
});
