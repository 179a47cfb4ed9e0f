/**
 * Remembers recently seen message ids, bounded both by count and by age, so a subscriber that
 * hears a message from both providers handles it once without memory growing with traffic.
 */
export class DedupWindow {
  // Insertion-ordered, so the oldest ids are always first.
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time `id` is offered within the window, false for a repeat. */
  firstSight(id: string): boolean {
    const now = this.now();
    this.evict(now);
    if (this.seen.has(id)) return false;
    this.seen.set(id, now);
    if (this.seen.size > this.maxEntries) {
      const oldest = this.seen.keys().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private evict(now: number): void {
    for (const [id, at] of this.seen) {
      if (now - at <= this.maxAgeMs) break;
      this.seen.delete(id);
    }
  }
}
