import { fastAnswer, type BuiltTexts } from './cli/fastPath.js';

/** Replaced by scripts/build.mjs (esbuild `define`); absent when src/ runs unbundled. */
declare const __VKR_BUILT_TEXTS__: BuiltTexts;
const built = typeof __VKR_BUILT_TEXTS__ === 'object' ? __VKR_BUILT_TEXTS__ : undefined;

// Nothing heavy is imported statically: the run path (commander, execa, zod, chalk)
// is a separate chunk, loaded only when the argv needs it.
const answer = fastAnswer(process.argv.slice(2), built);
if (answer !== undefined) process.stdout.write(answer);
else await (await import('./cli/main.js')).main();
