#!/usr/bin/env node
import { existsSync } from 'node:fs';

// dist/ is built by `npm run build` (the packed package ships it). From a fresh
// clone Node would otherwise answer with an ERR_MODULE_NOT_FOUND stack trace.
if (existsSync(new URL('../dist/cli.js', import.meta.url))) {
  await import('../dist/cli.js');
} else {
  process.stderr.write('videokit-rollback: error: dist/ is missing (this checkout is not built): run npm ci && npm run build\n');
  process.exitCode = 1;
}
