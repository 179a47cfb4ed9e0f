import type { Json, Message } from '@switchyard/core/adapter';

/** Collects delivered messages and lets a test wait for a count of them. */
export class Collector<T extends Json = Json> {
  readonly messages: Message<T>[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  readonly handler = (message: Message<T>): void => {
    this.messages.push(message);
    this.waiters = this.waiters.filter((waiter) => {
      if (this.messages.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  };

  /** Resolves once `count` messages have arrived; rejects with what did arrive after `timeoutMs`. */
  waitFor(count: number, timeoutMs = 10_000): Promise<Message<T>[]> {
    if (this.messages.length >= count) return Promise.resolve(this.messages);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`expected ${count} messages within ${timeoutMs} ms, got ${this.messages.length}`)),
        timeoutMs,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve(this.messages);
        },
      });
    });
  }
}
