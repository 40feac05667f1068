export interface MatrixRow {
  readonly name: string;
  readonly helm: string;
  readonly kubectl: string;
}
export interface ToolsDecision {
  readonly source: 'pinned' | 'path' | 'none';
  readonly pairs: readonly (MatrixRow & { readonly helmFile?: string; readonly kubectlFile?: string })[];
  readonly skipped: string | undefined;
}
export interface FoundTool {
  readonly file: string;
  readonly version?: string | undefined;
}
export const MATRIX: readonly MatrixRow[];
export const PINNED: { readonly platform: string; readonly arch: string };
export const PATH_TOOLS_FILE: string;
export function downloadUrls(row: MatrixRow, platform: string, arch: string): string[];
export function decideTools(input: {
  platform: string;
  arch: string;
  onPath: { helm?: FoundTool; kubectl?: FoundTool };
}): ToolsDecision;
