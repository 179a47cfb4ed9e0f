import { createProviders, type Message, SwitchyardError } from '@switchyard/core';
import { describe, expect, it } from 'vitest';

const URL_ = process.env.PG_NOTIFY_TEST_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

describe('SWITCHYARD_PUBSUB=@acme/switchyard-pg-notify', () => {
  it('is loaded by package name, reads its own settings, and carries messages between two instances', async () => {
    const env = { SWITCHYARD_PUBSUB: '@acme/switchyard-pg-notify', PG_NOTIFY_URL: URL_ };
    const [a, b] = await Promise.all([createProviders({ env, ports: ['pubsub'] }), createProviders({ env, ports: ['pubsub'] })]);
    try {
      expect(a.pubsub.provider).toBe('pg-notify');
      expect(a.plan.ports.pubsub?.primary.settings).toEqual({ PG_NOTIFY_URL: '[redacted]', PG_NOTIFY_TIMEOUT_MS: undefined });
      const received: Message[] = [];
      await b.pubsub.subscribe('chat:lobby', (message) => {
        received.push(message);
      });
      const sent = await a.pubsub.publish('chat:lobby', { text: 'hello from a' });
      const deadline = Date.now() + 5_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(received.map((m) => [m.id, m.data])).toEqual([[sent.id, { text: 'hello from a' }]]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('reports its missing and malformed settings in the one CONFIG error', async () => {
    const error = await createProviders({
      env: { SWITCHYARD_PUBSUB: '@acme/switchyard-pg-notify', PG_NOTIFY_TIMEOUT_MS: 'soon' },
      ports: ['pubsub'],
    }).catch((e: unknown) => e);
    expect(SwitchyardError.hasCode(error, 'CONFIG')).toBe(true);
    expect((error as Error).message).toContain('PG_NOTIFY_URL is not set');
    expect((error as Error).message).toContain('PG_NOTIFY_TIMEOUT_MS is "soon"');
  });
});
