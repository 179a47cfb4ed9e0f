import { createCounters, formatCounters } from '@switchyard/otel/counters';
import { describe, expect, it } from 'vitest';
import { circuit, divergence, dualCall, failure, operation, repair, shadowOutageCall } from './events.js';

describe('createCounters', () => {
  it('starts empty', () => {
    expect(createCounters().snapshot()).toEqual({ takenAt: expect.any(String), ports: {}, keysets: {} });
  });

  it('counts calls and errors per port and operation, and per provider', () => {
    const { onEvent, snapshot } = createCounters();
    onEvent(operation('storage', 'aws', 'put', 3));
    onEvent(operation('storage', 'aws', 'put', 4, failure('UNAVAILABLE', 'aws', true)));
    onEvent(operation('auth', 'aws', 'admin.getUser', 2));

    expect(snapshot().ports).toEqual({
      storage: {
        operations: { put: { calls: 2, errors: 1, divergences: 0, shadowFailures: 0, providers: { aws: { calls: 2, errors: 1 } } } },
      },
      auth: {
        operations: {
          'admin.getUser': { calls: 1, errors: 0, divergences: 0, shadowFailures: 0, providers: { aws: { calls: 1, errors: 0 } } },
        },
      },
    });
  });

  it('counts a dual-run call once, its sides per provider, and what diverged during a shadow outage', () => {
    const { onEvent, snapshot } = createCounters();
    const outage = failure('UNAVAILABLE', 'aws', true);
    const failing = shadowOutageCall('storage', 'put', outage);
    for (const event of [failing.primary, failing.shadow!, failing.composite]) onEvent(event);
    onEvent(divergence('storage', 'put', 'shadow-failure', outage));
    onEvent(circuit('storage', 'open', outage));
    const skipped = dualCall({ port: 'storage', operation: 'put' });
    onEvent(skipped.primary);
    onEvent(skipped.composite);
    onEvent(divergence('storage', 'head', 'mismatch'));
    onEvent(repair('storage', 0, 2));

    expect(snapshot().ports.storage).toEqual({
      operations: {
        put: {
          calls: 2,
          errors: 0,
          divergences: 1,
          shadowFailures: 1,
          providers: { supabase: { calls: 2, errors: 0 }, aws: { calls: 1, errors: 1 } },
        },
        head: { calls: 0, errors: 0, divergences: 1, shadowFailures: 0, providers: {} },
      },
      circuit: { primary: 'supabase', shadow: 'aws', state: 'open' },
      journalBacklog: 2,
    });
    onEvent(circuit('storage', 'closed'));
    onEvent(repair('storage', 2, 0));
    expect(snapshot().ports.storage).toMatchObject({ circuit: { state: 'closed' }, journalBacklog: 0 });
  });

  it('reports auth key sets by provider', () => {
    const { onEvent, snapshot } = createCounters();
    onEvent({ type: 'keyset', port: 'auth', provider: 'supabase', url: 'https://example.test/jwks', state: 'unavailable' });
    expect(snapshot().keysets).toEqual({ supabase: 'unavailable' });
    onEvent({ type: 'keyset', port: 'auth', provider: 'supabase', url: 'https://example.test/jwks', state: 'recovered' });
    expect(snapshot().keysets).toEqual({ supabase: 'fresh' });
  });

  it('hands out plain JSON copies that later events do not change', () => {
    const { onEvent, snapshot } = createCounters();
    onEvent(operation('db', 'postgres', 'query', 1));
    const before = snapshot();
    onEvent(operation('db', 'postgres', 'query', 1));
    expect(before.ports.db?.operations.query?.calls).toBe(1);
    expect(snapshot().ports.db?.operations.query?.providers.postgres?.calls).toBe(2);
    expect(JSON.parse(JSON.stringify(before))).toEqual(before);
    expect(new Date(before.takenAt).toISOString()).toBe(before.takenAt);
  });

  it('prints a snapshot as lines with the snapshot’s own names, for a CLI or a log line', () => {
    const { onEvent, snapshot } = createCounters();
    const outage = failure('UNAVAILABLE', 'aws', true);
    const failing = shadowOutageCall('storage', 'put', outage);
    for (const event of [failing.primary, failing.shadow!, failing.composite]) onEvent(event);
    onEvent(divergence('storage', 'put', 'shadow-failure', outage));
    onEvent(circuit('storage', 'open', outage));
    onEvent(repair('storage', 0, 2));
    onEvent({ type: 'keyset', port: 'auth', provider: 'supabase', url: 'https://example.test/jwks', state: 'stale' });

    expect(formatCounters(snapshot())).toEqual([
      'storage put: calls 1, errors 0, divergences 1, shadowFailures 1 (supabase 1/0, aws 1/1)',
      'storage circuit: open (supabase → aws)',
      'storage journalBacklog: 2',
      'auth keyset supabase: stale',
    ]);
    expect(formatCounters(createCounters().snapshot())).toEqual([]);
  });
});
