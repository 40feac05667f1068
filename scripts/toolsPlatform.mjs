// Which real helm and kubectl the end-to-end tests get on this machine: a pure decision,
// so it can be tested for a platform the test does not run on (scripts/tools.mjs feeds
// it the real platform and what it found on PATH).
//
// The pinned binaries come from AWS CDK lambda layers, which only ship linux x64. Elsewhere
// (macOS, arm64 Linux) a helm and a kubectl already on PATH are used when their versions
// are exactly those of a matrix row: the contract tests pin what the real binaries accept,
// so another version would test something else. Otherwise the real-binary tests are skipped,
// and the reason says how to get a matching pair.

/** The helm/kubectl version pairs every end-to-end test runs against. */
export const MATRIX = [
  { name: 'helm3-kubectl131', helm: '3.17.3', kubectl: '1.31.9' },
  { name: 'helm4-kubectl135', helm: '4.1.4', kubectl: '1.35.2' },
];

/** Where the pinned binaries exist. */
export const PINNED = { platform: 'linux', arch: 'x64' };

const pairText = (row) => `helm ${row.helm} + kubectl ${row.kubectl}`;

/** Release download URLs of a pair for a platform (Go's names: darwin/linux, amd64/arm64). */
export function downloadUrls(row, platform, arch) {
  const goArch = arch === 'x64' ? 'amd64' : arch;
  return [
    `https://get.helm.sh/helm-v${row.helm}-${platform}-${goArch}.tar.gz`,
    `https://dl.k8s.io/release/v${row.kubectl}/bin/${platform}/${goArch}/kubectl`,
  ];
}

/**
 * @param {{ platform: string, arch: string,
 *   onPath: { helm?: { file: string, version?: string }, kubectl?: { file: string, version?: string } } }} input
 *   what `helm` and `kubectl` on PATH are and print (version undefined when they do not run)
 * @returns {{ source: 'pinned' | 'path' | 'none',
 *   pairs: { name: string, helm: string, kubectl: string, helmFile?: string, kubectlFile?: string }[],
 *   skipped: string | undefined }}
 *   `skipped` is the one line to show when some row has no binaries.
 */
export function decideTools({ platform, arch, onPath }) {
  if (platform === PINNED.platform && arch === PINNED.arch) return { source: 'pinned', pairs: MATRIX.map((row) => ({ ...row })), skipped: undefined };
  const found = (tool) => (onPath[tool] === undefined ? 'none' : `${onPath[tool].version ?? 'unknown version'}`);
  const matching = MATRIX.filter((row) => onPath.helm?.version === row.helm && onPath.kubectl?.version === row.kubectl);
  const pairs = matching.map((row) => ({ ...row, helmFile: onPath.helm?.file, kubectlFile: onPath.kubectl?.file }));
  const missing = MATRIX.filter((row) => !matching.includes(row));
  if (missing.length === 0) return { source: 'path', pairs, skipped: undefined };
  const why =
    `the pinned helm/kubectl are linux x64 and this is ${platform} ${arch}; ` +
    `on PATH: helm ${found('helm')}, kubectl ${found('kubectl')}`;
  const how = `to run them, put ${missing.map(pairText).join(' or ')} on PATH (from ${downloadUrls(missing[0], platform, arch).join(' and ')}) and run npm run tools`;
  const what = pairs.length === 0 ? 'real-binary tests skipped' : `real-binary tests of ${missing.map((row) => row.name).join(', ')} skipped`;
  return { source: pairs.length === 0 ? 'none' : 'path', pairs, skipped: `${what}: ${why}; ${how}` };
}

/** The decision tools.mjs records off linux x64, in .tools/, for the tests. */
export const PATH_TOOLS_FILE = 'path-tools.json';
