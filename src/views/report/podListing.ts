/** What the report says about a `kubectl get pods -o wide` listing. */
export interface PodSummary {
  readonly pods: number;
  /** Pods whose READY column shows every container ready (n/n, n > 0). */
  readonly ready: number;
  readonly restarts: number;
  /** STATUS column values and how many Pods show each, e.g. { Running: 2 }. */
  readonly statuses: Readonly<Record<string, number>>;
}

/**
 * Reads kubectl's table: a header line starting with NAME, then one line per Pod
 * with NAME READY STATUS RESTARTS first. RESTARTS may read `3 (5m ago)` on newer
 * kubectl; the leading count is what matters. Lines that do not fit are ignored,
 * so a listing with a warning above it still summarises.
 */
export function summarisePods(listing: string): PodSummary | null {
  const lines = listing.split('\n');
  const header = lines.findIndex((line) => /^NAME\s+READY\s+STATUS\s+RESTARTS\b/.test(line));
  if (header === -1) return null;
  let pods = 0;
  let ready = 0;
  let restarts = 0;
  const statuses: Record<string, number> = {};
  for (const line of lines.slice(header + 1)) {
    const [name, readyColumn, status, restartColumn] = line.trim().split(/\s+/);
    const readyMatch = /^(\d+)\/(\d+)$/.exec(readyColumn ?? '');
    if (name === undefined || name === '' || readyMatch === null || status === undefined) continue;
    pods += 1;
    if (readyMatch[1] === readyMatch[2] && Number(readyMatch[2]) > 0) ready += 1;
    restarts += Number(/^\d+/.exec(restartColumn ?? '')?.[0] ?? 0);
    statuses[status] = (statuses[status] ?? 0) + 1;
  }
  return { pods, ready, restarts, statuses };
}
