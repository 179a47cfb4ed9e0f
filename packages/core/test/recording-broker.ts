import { type Json, type Message, type PublishOptions, type PubSubPort, SwitchyardError } from '@switchyard/core/adapter';

/** A broker that records publishes and answers each one as `answer` says: at once, never, or with a failure. */
export class RecordingBroker implements PubSubPort {
  readonly capabilities = { patternSubscribe: true, maxPayloadBytes: 1024, orderedPerChannel: true };
  readonly published: { channel: string; id: string | undefined }[] = [];
  answer: 'ok' | 'never' | 'fail' | 'throw' = 'ok';
  /** Held publishes, answered by `release()`. */
  private readonly held: (() => void)[] = [];
  hold = false;

  constructor(readonly provider: string) {}

  publish<T extends Json>(channel: string, data: T, options?: PublishOptions): Promise<Message<T>> {
    if (this.answer === 'throw') throw new Error('thrown instead of rejected');
    this.published.push({ channel, id: options?.id });
    const message = { id: options?.id ?? 'none', channel, data, publishedAt: new Date() };
    if (this.answer === 'never') return new Promise(() => {});
    if (this.answer === 'fail') {
      return Promise.reject(
        new SwitchyardError({ code: 'UNAVAILABLE', port: 'pubsub', provider: this.provider, operation: 'publish', message: 'down' }),
      );
    }
    if (!this.hold) return Promise.resolve(message);
    return new Promise((resolve) => this.held.push(() => resolve(message)));
  }

  release(): void {
    for (const answer of this.held.splice(0)) answer();
  }

  async subscribe() {
    return { unsubscribe: async () => undefined };
  }

  async close() {}
}
