import { closeSync, fsync, fsyncSync } from 'node:fs';

export interface DurableFd {
  /** After a write: on disk now (`durable`), or soon, by a background fsync. */
  written(durable: boolean): void;
  /** Syncs and closes; later calls do nothing. */
  close(): void;
  readonly open: boolean;
}

/**
 * fsync for an append-only record. A synchronous write is in the kernel once it
 * returns, so a killed run keeps it; fsync only adds safety against the machine itself
 * crashing, and costs milliseconds. So it runs in the background, coalesced, except
 * where the caller needs it on disk before going on (before a command starts).
 */
export function durableFd(fd: number): DurableFd {
  let open = true;
  let syncing = false;
  let dirty = false;
  let closeWhenSynced = false;
  const syncInBackground = () => {
    if (syncing) return;
    syncing = true;
    dirty = false;
    fsync(fd, () => {
      syncing = false;
      if (closeWhenSynced) closeSync(fd);
      else if (dirty) syncInBackground();
    });
  };
  return {
    get open() {
      return open;
    },
    written(durable) {
      if (durable) fsyncSync(fd);
      else {
        dirty = true;
        syncInBackground();
      }
    },
    close() {
      if (!open) return;
      open = false;
      fsyncSync(fd);
      // A background fsync still holds the descriptor: close it when that one ends.
      if (syncing) closeWhenSynced = true;
      else closeSync(fd);
    },
  };
}
