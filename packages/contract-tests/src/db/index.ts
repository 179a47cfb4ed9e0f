import type { DbPort } from '@switchyard/core/adapter';
import { sql } from '@switchyard/core/adapter';
import { afterAll, beforeAll, describe } from 'vitest';
import { faultCases } from '../faults.js';
import type { DbFactoryOptions, DbFixture, SuiteOptions } from '../fixtures.js';
import { lostConnectionCases } from './lost-connection.js';
import { queryCases } from './queries.js';
import { rlsCases } from './rls.js';

/**
 * The DbPort contract. `factory` returns a port on a database with the Supabase compatibility SQL
 * applied; it is called once with defaults and once more with `{ maxConnections: 1 }`.
 */
export function describeDbPort(name: string, factory: (options: DbFactoryOptions) => Promise<DbFixture>, options: SuiteOptions = {}): void {
  const namePrefix = options.namePrefix ?? '';
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

    queryCases(port, namePrefix);
    rlsCases(port, () => factory({ maxConnections: 1 }), namePrefix);
    faultCases(
      () => fixture?.faults,
      async () => ({
        query: { run: () => port().query(sql`select 1 as one`) },
        transaction: { run: () => port().transaction(async (tx) => tx.query(sql`select 2 as two`)) },
        asUser: {
          run: () => port().asUser({ id: '00000000-0000-4000-8000-000000000001' }, (tx) => tx.query(sql`select auth.uid() as id`)),
        },
      }),
    );
    lostConnectionCases(() => fixture);
  });
}
