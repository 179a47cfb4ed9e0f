import { SwitchyardError } from '../errors.js';
import { turnClock } from './turn-clock.js';

/**
 * Remembers recently seen message ids, bounded both by count and by age, so a subscriber that
 * hears a message from both providers handles it once without memory growing with traffic.
 */
export class DedupWindow {
  private readonly seen = new Set<string>();
  // Insertion order lives in a ring, so eviction pops from its head: scanning a Map whose oldest
  // entries keep being deleted walks over their tombstones on every call (~11 µs at 10,000 ids).
  private readonly ids: (string | undefined)[];
  private readonly times: Float64Array;
  private head = 0;
  private count = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly maxAgeMs: number,
    private readonly now: () => number = turnClock,
  ) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new SwitchyardError({
        code: 'INVALID_INPUT',
        port: 'pubsub',
        operation: 'dedup',
        message: `The dedup window needs a whole number of entries ≥ 1; got ${maxEntries}.`,
      });
    }
    this.ids = new Array(maxEntries);
    this.times = new Float64Array(maxEntries);
  }

  /** True the first time `id` is offered within the window, false for a repeat. */
  firstSight(id: string): boolean {
    const now = this.now();
    while (this.count > 0 && now - (this.times[this.head] ?? 0) > this.maxAgeMs) this.dropOldest();
    if (this.seen.has(id)) return false;
    if (this.count === this.maxEntries) this.dropOldest();
    const tail = (this.head + this.count) % this.maxEntries;
    this.ids[tail] = id;
    this.times[tail] = now;
    this.count += 1;
    this.seen.add(id);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }

  private dropOldest(): void {
    const id = this.ids[this.head];
    if (id !== undefined) this.seen.delete(id);
    this.ids[this.head] = undefined;
    this.head = (this.head + 1) % this.maxEntries;
    this.count -= 1;
  }
}
