import { createRedisPubSub } from '@switchyard/aws/redis';
import { DualPubSub, type PubSubPort } from '@switchyard/core';
import { FaultProxy } from '@switchyard/test-peers';
import { percentile, scale } from '../lib/measure.js';
import { ms, perSecond, type Row, ratioText } from '../lib/row.js';
import { REDIS_URL, uniquePrefix } from './pubsub-buses.js';

/** Latencies of `count` sequential publishes, in ms, and the rate they ran at. */
async function sequential(port: PubSubPort, count: number): Promise<{ latencies: number[]; rate: number }> {
  const latencies: number[] = [];
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await port.publish('events', { seq: i });
    latencies.push(performance.now() - t);
  }
  return { latencies, rate: count / ((performance.now() - started) / 1000) };
}

/**
 * Row 10 (issue 10): a sequential publisher while the shadow broker is down. The shadow is the same
 * Redis behind a fault proxy that swallows everything (a host that stopped answering); its circuit
 * opens after three bounded waits and the rest of the run skips it. The whole outage is measured,
 * the bounded waits before the circuit opened included. Anchor: the primary alone.
 */
export async function benchShadowOutage(): Promise<Row[]> {
  const url = new URL(REDIS_URL);
  const proxy = await FaultProxy.start({ host: url.hostname, port: Number(url.port || 6379) });
  const primary = await createRedisPubSub({ url: REDIS_URL, keyPrefix: uniquePrefix() });
  const alone = await createRedisPubSub({ url: REDIS_URL, keyPrefix: uniquePrefix() });
  const shadow = await createRedisPubSub({ url: proxy.url(REDIS_URL), keyPrefix: uniquePrefix() });
  const dual = new DualPubSub({ primary, shadow });
  try {
    const count = scale(3000, 600);
    await sequential(alone, 200);
    const anchor = await sequential(alone, count);
    await proxy.set('blackhole');
    const outage = await sequential(dual, count);
    const p99 = { port: percentile(outage.latencies, 99), anchor: percentile(anchor.latencies, 99) };
    const ratio = p99.port / p99.anchor;
    return [
      {
        id: '10a',
        what: `DualPubSub publish p99 with the shadow down (blackholed), ${count} sequential publishes, vs the primary alone`,
        port: ms(p99.port),
        anchor: ms(p99.anchor),
        ratio: ratioText(ratio),
        target: '≤ 2 (time)',
        met: ratio <= 2 ? 'yes' : 'NO',
        note: `rate ${perSecond(outage.rate)} vs ${perSecond(anchor.rate)}; the circuit opened after 3 waits of the 2 s shadow bound`,
      },
    ];
  } finally {
    await proxy.set('pass');
    await Promise.allSettled([dual.close(), alone.close()]);
    await proxy.close();
  }
}
