import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * The sha256 of a binary, remembered per file identity: device, inode, size, and the
 * modification and change times to the nanosecond. Writing the file changes its ctime,
 * which no unprivileged process can set back, so a changed binary is always hashed
 * again (git's index relies on the same). helm and kubectl are 50 MB or more each:
 * hashing both costs every run hundreds of milliseconds of CPU, the cache none.
 * The cache lives in a folder only this user can read or write; a folder that is
 * anyone else's, or open to others, is not used.
 *
 * Only files of a megabyte or more are remembered: a smaller one (a wrapper script in
 * front of helm) hashes faster than the cache is read, and would push the real
 * binaries out of its few entries.
 */
const MAX_ENTRIES = 32;
const REMEMBERED_FROM_BYTES = 1024 * 1024;

function cacheDir(): string | undefined {
  try {
    const uid = userInfo().uid;
    const dir = join(tmpdir(), `videokit-rollback-${uid}`);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const stat = statSync(dir);
    return stat.uid === uid && (stat.mode & 0o077) === 0 ? dir : undefined;
  } catch {
    return undefined;
  }
}

function identityOf(path: string): string {
  const s = statSync(path, { bigint: true });
  return `${s.dev}:${s.ino}:${s.size}:${s.mtimeNs}:${s.ctimeNs}`;
}

type Entries = Record<string, string>;

function load(file: string): Entries {
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return typeof value === 'object' && value !== null ? (value as Entries) : {};
  } catch {
    return {};
  }
}

/**
 * `hash(path)`, or the value remembered for this very file; the cache never makes it fail.
 * `dir` is the cache's folder: this user's own by default, a test's throwaway one.
 */
export async function cachedSha256(path: string, hash: (path: string) => Promise<string>, dir = cacheDir()): Promise<string> {
  if (statSync(path).size < REMEMBERED_FROM_BYTES) return hash(path);
  const key = identityOf(path);
  const file = dir === undefined ? undefined : join(dir, 'binary-sha256.json');
  const entries = file === undefined ? {} : load(file);
  const known = entries[key];
  if (known !== undefined && /^[0-9a-f]{64}$/.test(known)) return known;
  const digest = await hash(path);
  if (file !== undefined && identityOf(path) === key) {
    const kept = Object.entries({ ...entries, [key]: digest }).slice(-MAX_ENTRIES);
    try {
      const temp = `${file}.${process.pid}`;
      writeFileSync(temp, JSON.stringify(Object.fromEntries(kept)), { mode: 0o600 });
      renameSync(temp, file);
    } catch {
      // A cache that cannot be written only costs the next run the hashing.
    }
  }
  return digest;
}
