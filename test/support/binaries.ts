import { accessSync, constants } from 'node:fs';
import { resolve } from 'node:path';

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

/** The version pairs every end-to-end test runs against. */
export const MATRIX: readonly ToolPair[] = [
  { name: 'helm3-kubectl131', helm: HELM3, kubectl: KUBECTL131 },
  { name: 'helm4-kubectl135', helm: HELM4, kubectl: KUBECTL135 },
];

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
