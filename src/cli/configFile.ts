import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import * as z from 'zod/mini';
import { usageError } from '../domain/errors.js';
import '../domain/zodMessages.js';
import type { Setting } from '../domain/settings.js';

/** Looked for in the working directory when neither --config nor the variable names a file. */
export const DEFAULT_CONFIG_FILE = 'videokit-rollback.config.json';
export const CONFIG_ENV = 'VIDEOKIT_ROLLBACK_CONFIG';

/** Unknown keys are refused: a misspelt "namespce" must not silently fall back to nothing. */
const text = () => z.optional(z.string().check(z.minLength(1)));
const configFileSchema = z.strictObject({
  namespace: text(),
  context: text(),
  targetEnv: text(),
  releases: z.optional(z.array(z.string().check(z.minLength(1))).check(z.minLength(1))),
  timeout: text(),
  transcriptDir: text(),
  /** Refuse every run (dry-run and --execute) that has no TARGET_ENV to check the context against. */
  requireTargetEnv: z.optional(z.boolean()),
});

export type ConfigFileValues = z.infer<typeof configFileSchema>;
export const CONFIG_KEYS = Object.keys(configFileSchema.shape) as (keyof ConfigFileValues)[];

/** A config file as read: where it is (absolute) and its validated values. */
export interface ConfigFile {
  readonly path: string;
  readonly values: ConfigFileValues;
}

/** Parses and validates a config file's text; every error names the file, and the key when there is one. */
export function parseConfigFile(path: string, text: string): ConfigFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw usageError(`config file ${path}: not valid JSON: ${(error as Error).message}`);
  }
  const parsed = configFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (issue === undefined) throw usageError(`config file ${path}: invalid`);
    if (issue.code === 'unrecognized_keys') {
      throw usageError(
        `config file ${path}: unknown key ${issue.keys.map((k) => `"${k}"`).join(', ')}`,
        `known keys: ${CONFIG_KEYS.join(', ')}`,
      );
    }
    const key = issue.path.length === 0 ? '' : `key "${issue.path.join('.')}": `;
    throw usageError(`config file ${path}: ${key}${issue.message}`);
  }
  return { path, values: parsed.data };
}

export interface ConfigFileReader {
  readonly readFile: (path: string) => string;
}

/**
 * Reads the config file: the one --config or $VIDEOKIT_ROLLBACK_CONFIG names (`named`,
 * with where it came from), else ./videokit-rollback.config.json if it exists. A file
 * named explicitly must exist.
 */
export function loadConfigFile(
  named: Setting<string> | undefined,
  cwd: string,
  reader: ConfigFileReader = { readFile: (path) => readFileSync(path, 'utf8') },
): ConfigFile | undefined {
  if (named?.value === '') throw usageError('--config needs a path');
  const path = resolve(cwd, named?.value ?? DEFAULT_CONFIG_FILE);
  let text: string;
  try {
    text = reader.readFile(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (named === undefined && code === 'ENOENT') return undefined;
    throw usageError(`config file ${path} (from ${named?.from ?? 'the working directory'}) cannot be read: ${(error as Error).message}`);
  }
  return parseConfigFile(path, text);
}
