import { expectSwitchyardError } from '@switchyard/contract-tests';
import { eventually, randomPrefix } from '@switchyard/test-peers/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisPubSub } from '../src/redis/index.js';
import { onFreePorts, startServer, type TestServer, tempDir } from './redis-servers.js';

describe('RedisPubSub across a broker restart', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let server: TestServer | undefined;
  let port: number;

  beforeAll(async () => {
    dir = await tempDir();
    server = await onFreePorts((free) => startServer(free, dir.path));
    port = server.port;
  });
  afterAll(async () => {
    await server?.stop();
    await dir?.remove();
  });

  it('fails calls with UNAVAILABLE while Redis is down, then reconnects and re-subscribes by itself', async () => {
    const keyPrefix = randomPrefix();
    const pubsub = await createRedisPubSub({ host: '127.0.0.1', port, keyPrefix, connectTimeoutMs: 500 });
    try {
      const received: unknown[] = [];
      await pubsub.subscribe('orders', (message) => {
        received.push(message.data);
      });
      await pubsub.subscribe({ pattern: 'audit:*' }, (message) => {
        received.push(message.channel);
      });

      await server!.stop();
      const error = await expectSwitchyardError(pubsub.publish('orders', 'while down'), 'UNAVAILABLE');
      expect(error.retryable).toBe(true);
      await expectSwitchyardError(
        pubsub.subscribe('later', () => {}),
        'UNAVAILABLE',
      );

      server = await startServer(port, dir.path);
      await eventually('both subscriptions on the restarted server', async () => {
        const [, subscribers] = (await server!.client.call('PUBSUB', 'NUMSUB', `${keyPrefix}orders`)) as [string, number];
        const patterns = Number(await server!.client.call('PUBSUB', 'NUMPAT'));
        return Number(subscribers) === 1 && patterns === 1;
      });
      // The publisher reconnects on its own back-off; a caller retries a retryable UNAVAILABLE.
      await eventually('a publish to go through', () =>
        pubsub.publish('orders', 'after').then(
          () => true,
          () => false,
        ),
      );
      await pubsub.publish('audit:login', 'x');
      await eventually('both messages', async () => received.length === 2);
      expect(received).toEqual(['after', 'audit:login']);
    } finally {
      await pubsub.close();
    }
    expect(pubsub.openConnections()).toBe(0);
  });

  it('fails a publish Redis does not answer with a retryable UNAVAILABLE after commandTimeoutMs', async () => {
    const pubsub = await createRedisPubSub({ host: '127.0.0.1', port, keyPrefix: randomPrefix(), commandTimeoutMs: 300 });
    try {
      await pubsub.publish('orders', 'ready');
      // The server holds every client's commands, its connections staying open, for 1.5 s.
      await server!.client.call('CLIENT', 'PAUSE', 1_500, 'ALL');
      const error = await expectSwitchyardError(pubsub.publish('orders', 'unanswered'), 'UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect((error.cause as Error).message).toBe('Command timed out');
      // Once the pause is over, the same connection carries on.
      await eventually('a publish to be answered after the pause', () =>
        pubsub.publish('orders', 'answered').then(
          () => true,
          () => false,
        ),
      );
    } finally {
      await pubsub.close();
    }
  });
});
