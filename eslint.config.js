// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';

/**
 * The layers of src/, top to bottom (ARCHITECTURE.md). A layer imports only from the
 * layers below it; plan/, execute/ and views/ sit side by side under app/, and of
 * them only execute/ may use plan/ (it runs what was planned).
 */
const BELOW = {
  action: ['cli', 'domain'],
  cli: ['app', 'plan', 'execute', 'views', 'record', 'tools', 'process', 'domain'],
  app: ['plan', 'execute', 'views', 'record', 'tools', 'process', 'domain'],
  execute: ['plan', 'tools', 'process', 'domain'],
  plan: ['tools', 'process', 'domain'],
  views: ['record', 'tools', 'process', 'domain'],
  // The record's chain, seal and verification: file formats and hashes, no commands.
  record: ['domain'],
  tools: ['process', 'domain'],
  process: ['domain'],
  domain: [],
};
const LAYERS = Object.keys(BELOW);
const layerZones = Object.entries(BELOW).map(([layer, allowed]) => ({
  target: `./src/${layer}`,
  from: LAYERS.filter((other) => other !== layer && !allowed.includes(other)).map((other) => `./src/${other}`),
  message: `src/${layer} may import only from ${allowed.length === 0 ? 'itself' : allowed.map((l) => `src/${l}`).join(', ')} (see ARCHITECTURE.md).`,
}));

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.tools/', 'reports/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', Buffer: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'process', property: 'exit', message: 'Only src/cli/exit.ts ends the process.' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // Sources import each other as `./x.js` (NodeNext); the files are `./x.ts`.
      'import-x/resolver-next': [createNodeResolver({ extensionAlias: { '.js': ['.ts', '.js'] } })],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { zones: layerZones }],
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      // A function reads as one step of the flow; a longer one is several steps.
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    files: ['src/cli/exit.ts', 'scripts/**', 'test/**'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
