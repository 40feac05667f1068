import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { MATRIX as ROWS, PATH_TOOLS_FILE, PINNED, type ToolsDecision } from '../../scripts/toolsPlatform.mjs';

/** Where `npm run tools` (scripts/tools.mjs) puts the real binaries. */
export const TOOLS_DIR = resolve(import.meta.dirname, '../../.tools');

export const HELM3 = resolve(TOOLS_DIR, 'helm-v3.17.3/helm');
export const HELM4 = resolve(TOOLS_DIR, 'helm-v4.1.4/helm');
export const KUBECTL131 = resolve(TOOLS_DIR, 'kubectl-v1.31.9/kubectl');
export const KUBECTL135 = resolve(TOOLS_DIR, 'kubectl-v1.35.2/kubectl');

export interface ToolPair {
  name: string;
  helm: string;
  kubectl: string;
}

/** Every version pair of the matrix, where `npm run tools` puts (or links) it. */
export const FULL_MATRIX: readonly ToolPair[] = ROWS.map((row) => ({
  name: row.name,
  helm: resolve(TOOLS_DIR, `helm-v${row.helm}/helm`),
  kubectl: resolve(TOOLS_DIR, `kubectl-v${row.kubectl}/kubectl`),
}));

/** As for scripts/tools.mjs: VKR_TOOLS_PLATFORM=darwin-arm64 simulates another platform. */
const SIMULATED = process.env.VKR_TOOLS_PLATFORM?.split('-');

export interface RealBinaries {
  readonly pairs: readonly ToolPair[];
  /** The one line saying which real-binary tests are skipped, why, and how to get them. */
  readonly skipped: string | undefined;
}

/**
 * The pairs the end-to-end tests run here. On linux x64 every pair: `npm test` installs the
 * pinned binaries first, and a missing one fails loudly (requireBinaries). Elsewhere the
 * pairs scripts/tools.mjs found on PATH and linked, as recorded in .tools/path-tools.json.
 */
export function realBinaries(
  platform: string = SIMULATED?.[0] ?? process.platform,
  arch: string = SIMULATED?.[1] ?? process.arch,
  toolsDir: string = process.env.VKR_TOOLS_DIR ?? TOOLS_DIR,
): RealBinaries {
  if (platform === PINNED.platform && arch === PINNED.arch) return { pairs: FULL_MATRIX, skipped: undefined };
  const file = resolve(toolsDir, PATH_TOOLS_FILE);
  const recorded = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ToolsDecision & { platform: string; arch: string }) : undefined;
  if (recorded === undefined || recorded.platform !== platform || recorded.arch !== arch) {
    return { pairs: [], skipped: `real-binary tests skipped: the pinned helm/kubectl are linux x64 and this is ${platform} ${arch}; run npm run tools to look for a matching pair on PATH` };
  }
  const names = new Set(recorded.pairs.map((pair) => pair.name));
  return { pairs: FULL_MATRIX.filter((pair) => names.has(pair.name)), skipped: recorded.skipped };
}

/** The version pairs every end-to-end test runs against (those available here, see realBinaries). */
export const MATRIX: readonly ToolPair[] = realBinaries().pairs;

/** Whether the named pair runs here: for tests written for one pair. */
export const hasPair = (name: string): boolean => MATRIX.some((pair) => pair.name === name);

/**
 * Throws a clear error when a binary is missing, so a test fails loudly instead of
 * being skipped: call it in `beforeAll`.
 */
export function requireBinaries(pairs: readonly ToolPair[] = MATRIX): void {
  const missing: string[] = [];
  for (const p of pairs) {
    for (const file of [p.helm, p.kubectl]) {
      try {
        accessSync(file, constants.X_OK);
      } catch {
        missing.push(file);
      }
    }
  }
  if (missing.length > 0) {
    throw new Error(`missing real helm/kubectl binaries (run \`npm run tools\`): ${missing.join(', ')}`);
  }
}
