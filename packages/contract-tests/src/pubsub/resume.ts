import type { PubSubPort } from '@switchyard/core/adapter';
import { expect, it } from 'vitest';
import type { PubSubFixture } from '../fixtures.js';
import { randomId, sleep } from '../random.js';
import { Collector } from './collector.js';

/**
 * A subscription outlives a broker outage: after the connection is reset or refused for a while,
 * it resumes by itself, and messages published once the broker is back reach it. Published by
 * another client that does not go through the fault.
 */
export function resumeCases(fixture: () => PubSubFixture | undefined, others: PubSubPort[], namePrefix: string): void {
  for (const mode of ['reset', 'refuse'] as const) {
    it(`resumes a subscription by itself after a ${mode === 'reset' ? 'connection reset' : 'refused reconnect'}`, async (context) => {
      const started = fixture();
      const faults = started?.faults;
      if (!started || !faults) {
        context.skip('not applicable: the adapter has no network peer to fault');
        return;
      }
      const publisher = await started.harness.connect();
      others.push(publisher);
      const channel = `${namePrefix}resume:${randomId()}`;
      const collector = new Collector();
      await started.port.subscribe(channel, collector.handler);
      try {
        await faults.set(mode);
        await sleep(Math.min(faults.timeoutMs, 1_500));
      } finally {
        await faults.set('pass');
      }
      // Publish until one arrives: the subscription's own reconnect schedule decides when.
      const deadline = Date.now() + 15_000;
      while (collector.messages.length === 0 && Date.now() < deadline) {
        await publisher.publish(channel, { after: mode });
        await sleep(250);
      }
      expect(collector.messages.length, `the subscription did not resume within 15 s after the ${mode} was lifted`).toBeGreaterThan(0);
      expect(collector.messages[0]?.data).toEqual({ after: mode });
    }, 30_000);
  }
}
