import pkg from '../package.json' with { type: 'json' };

/** Name and version come from package.json, so --version can never drift from the package. */
export const TOOL = { name: pkg.name, version: pkg.version } as const;
