import type { ListedObject, StoragePort } from '@switchyard/core';
import type { Page } from '../paged-run.js';
import { withRetries } from '../retry.js';

/** A source object with what the target's listing showed under the same key (null: nothing). */
export interface Paired {
  source: ListedObject;
  target: ListedObject | null;
}

const utf8 = new TextEncoder();
/** Listings come in ascending UTF-8 byte order (the StoragePort contract), which JS string order is not. */
const compareKeys = (a: string, b: string) => Buffer.compare(utf8.encode(a), utf8.encode(b));

/**
 * True when UTF-16 and UTF-8 orders agree for `key` against any other key: no character from
 * U+E000 up and no surrogate pair. Some adapters list in JavaScript's string order, others in byte
 * order; only such keys can be paired wrongly, so only for them "absent from the target's listing"
 * is not trusted (the copy looks at the target itself).
 */
export function orderSafe(key: string): boolean {
  return !/[\uD800-\uFFFF]/.test(key);
}

/**
 * Walks the target's listing alongside the source's (both ascending), so each source key arrives
 * with the target's entry for it and the copy needs no request to learn that the target lacks an
 * object or already holds it. Holds one page of each listing.
 */
export class TargetListing {
  private page: ListedObject[] = [];
  private index = 0;
  private cursor: string | undefined;
  private ended = false;

  constructor(
    private readonly to: StoragePort,
    private readonly options: { prefix?: string | undefined; pageSize?: number | undefined },
  ) {}

  private async head(): Promise<ListedObject | undefined> {
    while (this.index >= this.page.length && !this.ended) {
      const next = await withRetries(() =>
        this.to.list({
          limit: this.options.pageSize ?? 1000,
          ...(this.options.prefix ? { prefix: this.options.prefix } : {}),
          ...(this.cursor ? { cursor: this.cursor } : {}),
        }),
      );
      this.page = next.items;
      this.index = 0;
      this.cursor = next.cursor;
      this.ended = next.cursor === undefined;
    }
    return this.page[this.index];
  }

  /** The target entries for a source page, in order; keys must come in ascending order across calls. */
  async pair(page: Page<ListedObject>): Promise<Page<Paired>> {
    const items: Paired[] = [];
    for (const source of page.items) {
      let target = await this.head();
      while (target && compareKeys(target.key, source.key) < 0) {
        this.index++;
        target = await this.head();
      }
      items.push({ source, target: target && target.key === source.key ? target : null });
    }
    return { items, cursor: page.cursor };
  }
}
