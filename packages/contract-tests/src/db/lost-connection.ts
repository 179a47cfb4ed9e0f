import { sql } from '@switchyard/core/adapter';
import { expect, it } from 'vitest';
import { expectSwitchyardError } from '../expect-error.js';
import type { DbFixture } from '../fixtures.js';

/**
 * A connection lost inside a transaction (the backend terminated, a failover) is a retryable
 * UNAVAILABLE, and the pool hands out a working connection on the next call.
 */
export function lostConnectionCases(fixture: () => DbFixture | undefined): void {
  it('reports a connection lost inside a transaction as a retryable UNAVAILABLE, and recovers', async (context) => {
    const started = fixture();
    const faults = started?.faults;
    if (!started || !faults) {
      context.skip('not applicable: the adapter has no network peer to fault');
      return;
    }
    const port = started.port;
    const error = await expectSwitchyardError(
      port.transaction(async (tx) => {
        await tx.query(sql`select 1`);
        faults.dropConnections();
        await tx.query(sql`select 2`);
      }),
      'UNAVAILABLE',
    );
    expect(error.retryable, error.message).toBe(true);
    expect(await port.one<{ ok: number }>(sql`select 1 as ok`)).toEqual({ ok: 1 });
  });
}
