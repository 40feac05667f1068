import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Where `file` would be found the way execa (no shell) finds it: a path with a
 * slash is taken as is, a bare name is looked up on PATH. Checked up front so a
 * missing binary is a usage error before anything runs, not a failure mid-run.
 */
export function findExecutable(file: string, env: NodeJS.ProcessEnv, cwd: string): string | undefined {
  if (file.includes('/')) {
    const path = isAbsolute(file) ? file : resolve(cwd, file);
    return isExecutableFile(path) ? path : undefined;
  }
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, file);
    if (isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}
