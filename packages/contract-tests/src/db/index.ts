import type { DbPort } from '@switchyard/core';
import { afterAll, beforeAll, describe } from 'vitest';
import type { DbFactoryOptions, DbFixture } from '../fixtures.js';
import { queryCases } from './queries.js';
import { rlsCases } from './rls.js';

/**
 * The DbPort contract. `factory` returns a port on a database with the Supabase compatibility SQL
 * applied; it is called once with defaults and once more with `{ maxConnections: 1 }`.
 */
export function describeDbPort(name: string, factory: (options: DbFactoryOptions) => Promise<DbFixture>): void {
  describe(`${name} (DbPort contract)`, () => {
    let fixture: DbFixture | undefined;
    const port = (): DbPort => {
      if (!fixture) throw new Error('the db fixture failed to start; see the beforeAll error');
      return fixture.port;
    };

    beforeAll(async () => {
      fixture = await factory({});
    });

    afterAll(async () => {
      await fixture?.teardown?.();
    });

    queryCases(port);
    rlsCases(port, () => factory({ maxConnections: 1 }));
  });
}
