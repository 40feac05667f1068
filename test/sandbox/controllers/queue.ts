/**
 * A de-duplicating work queue. Reconcilers are queued by key and run one at a time on a later
 * tick; queuing a key that is already waiting is a no-op, so bursts of watch events coalesce.
 * `drain()` runs everything synchronously (used while seeding a scenario).
 */
export class WorkQueue {
  private readonly pending = new Map<string, () => void>();
  private scheduled = false;
  private stopped = false;

  constructor(private readonly onError: (key: string, err: unknown) => void) {}

  add(key: string, work: () => void): void {
    if (this.stopped) return;
    this.pending.set(key, work);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.drain();
      });
    }
  }

  drain(): void {
    // Bounded: a reconciler that keeps re-queuing itself is a bug, not a reason to hang.
    for (let rounds = 0; this.pending.size > 0 && rounds < 10_000; rounds++) {
      const [key, work] = this.pending.entries().next().value as [string, () => void];
      this.pending.delete(key);
      try {
        work();
      } catch (err) {
        this.onError(key, err);
      }
    }
  }

  stop(): void {
    this.stopped = true;
    this.pending.clear();
  }
}
