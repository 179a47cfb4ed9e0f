import { createRedisPubSub } from '@switchyard/aws/redis';
import { DualPubSub } from '@switchyard/core';
import { compare, scale } from '../lib/measure.js';
import { ms, perSecond, type Row, ratioText, throughputRow } from '../lib/row.js';
import { emitterBus, handDualRedisBus, localPortBus, portBus, REDIS_URL, rawRedisBus, redisPortBus, uniquePrefix } from './pubsub-buses.js';
import { compareLatency, DrivenBus } from './pubsub-drive.js';

type Open = () => Promise<import('./pubsub-buses.js').Bus>;

interface Pair {
  id: string;
  label: string;
  port: Open;
  anchor: Open;
  /** Minimum throughput ratio, or undefined for informational rows. */
  target: number | undefined;
  note?: string;
}

/** Row 5: PubSub throughput and publish→delivery latency, 1 and 100 subscribers. */
export async function benchPubSub(): Promise<Row[]> {
  const pairs: Pair[] = [
    { id: '5a', label: 'Redis adapter vs raw ioredis', port: redisPortBus, anchor: rawRedisBus, target: 0.9 },
    {
      id: '5b',
      label: 'local in-process vs EventEmitter',
      port: async () => localPortBus(),
      anchor: async () => emitterBus(),
      target: undefined,
      note: 'the EventEmitter floor makes no id, no validation, no copy and calls handlers synchronously: scale only',
    },
    {
      id: '5c',
      label: 'DualPubSub over two Redis ports vs the same dual-run by hand (Promise.all publish, Set dedup)',
      port: async () => {
        const primary = await createRedisPubSub({ url: REDIS_URL, keyPrefix: uniquePrefix() });
        const shadow = await createRedisPubSub({ url: REDIS_URL, keyPrefix: uniquePrefix() });
        return portBus(new DualPubSub({ primary, shadow }), 'events');
      },
      anchor: handDualRedisBus,
      target: 0.9,
      note: 'two key prefixes on one Redis stand in for two brokers; each subscriber hears both and drops the second copy',
    },
  ];
  const rows: Row[] = [];
  for (const pair of pairs) {
    for (const subscribers of [1, 100]) rows.push(...(await measurePair(pair, subscribers)));
  }
  return rows;
}

async function measurePair(pair: Pair, subscribers: number): Promise<Row[]> {
  const port = await DrivenBus.open(await pair.port(), subscribers);
  const anchor = await DrivenBus.open(await pair.anchor(), subscribers);
  try {
    const count = subscribers === 1 ? scale(8000, 3000) : scale(1500, 600);
    const throughput = await compare(port.throughput(count), anchor.throughput(count), { trials: scale(11, 5) });
    const latency = await compareLatency(port, anchor, { messages: scale(300, 60), trials: scale(5, 3) });
    const what = `${pair.label}, ${subscribers} subscriber${subscribers > 1 ? 's' : ''}`;
    const throughputBase = { id: pair.id, what: `${what}: messages published/s, all delivered`, ...(pair.note ? { note: pair.note } : {}) };
    const throughputLine: Row =
      pair.target === undefined
        ? {
            ...throughputBase,
            port: perSecond(throughput.port),
            anchor: perSecond(throughput.anchor),
            ratio: ratioText(throughput.ratio),
            target: 'informational',
            met: 'n/a',
          }
        : throughputRow(throughputBase, throughput, pair.target);
    return [
      throughputLine,
      {
        id: pair.id,
        what: `${what}: publish→delivery p50 / p99 (ratio = anchor p50 ÷ port p50, higher is better)`,
        port: `${ms(latency.port.p50)} / ${ms(latency.port.p99)}`,
        anchor: `${ms(latency.anchor.p50)} / ${ms(latency.anchor.p99)}`,
        ratio: ratioText(latency.ratio),
        target: 'informational',
        met: 'n/a',
      },
    ];
  } finally {
    await port.close();
    await anchor.close();
  }
}
