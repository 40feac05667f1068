import { configDefaults, defineConfig } from 'vitest/config';
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { realBinaries } from './test/support/binaries.js';

/** Test files that need the real helm and kubectl in every test they hold. */
const REAL_BINARY_TESTS = ['test/e2e/**', 'test/contract/**', 'test/sandbox/sandbox.test.ts'];

/**
 * The real-binary files first, each in vitest's own order (longest first once it has timings,
 * larger first in a fresh clone, as on CI). They take up to a minute and more each: one
 * started late is the whole run's tail, while the many short files fill in around them.
 */
class RealBinaryFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const real = (file: TestSpecification) => /^test\/(e2e|contract)\/|^test\/sandbox\/sandbox\.test\.ts$/.test(relative(this.ctx.config.root, file.moduleId));
    const sorted = await super.sort(files);
    return [...sorted.filter(real), ...sorted.filter((file) => !real(file))];
  }
}

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
    // vitest's default is one worker fewer than the cores: one, on a 2-core machine. Much
    // test time is spent waiting on helm's and kubectl's own waits and on subprocesses:
    // four files at a time keep both cores busy (155 s against 172 s with three, here).
    maxWorkers: 4,
    sequence: { sequencer: RealBinaryFilesFirst },
    // Each file re-importing the sources costs more CPU than the tests of most unit files.
    // Safe here: no test mocks modules, and process-wide state (env, exit code, signal
    // handlers) is only ever touched by the CLI in its own subprocess.
    isolate: false,
  },
});
