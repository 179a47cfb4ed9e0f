import type { StoragePort } from '@switchyard/core/adapter';
import { afterAll, beforeAll, describe } from 'vitest';
import { faultCases } from '../faults.js';
import type { StorageFixture, SuiteOptions } from '../fixtures.js';
import { patternBytes, randomId } from '../random.js';
import { alteredKeyCases } from './altered-keys.js';
import { bodyCases } from './bodies.js';
import { conditionalCases } from './conditional.js';
import { storageContext } from './context.js';
import { keyCases } from './keys.js';
import { objectCases } from './objects.js';
import { signedUrlCases } from './signed-urls.js';

/**
 * The StoragePort contract. `factory` returns a port on a real bucket (or peer) that the suite may
 * write to; every object the suite writes is under one random prefix and removed afterwards.
 */
export function describeStoragePort(name: string, factory: () => Promise<StorageFixture>, options: SuiteOptions = {}): void {
  describe(`${name} (StoragePort contract)`, () => {
    let fixture: StorageFixture | undefined;
    const runPrefix = `${options.namePrefix ?? ''}contract-${randomId()}/`;
    const port = (): StoragePort => {
      if (!fixture) throw new Error('the storage fixture failed to start; see the beforeAll error');
      return fixture.port;
    };

    beforeAll(async () => {
      fixture = await factory();
    });

    afterAll(async () => {
      if (!fixture) return;
      try {
        let cursor: string | undefined;
        do {
          const page = await fixture.port.list({ prefix: runPrefix, ...(cursor ? { cursor } : {}) });
          if (page.items.length > 0) await fixture.port.delete(page.items.map((item) => item.key));
          cursor = page.cursor;
        } while (cursor);
      } finally {
        await fixture.teardown?.();
      }
    });

    const ctx = storageContext(port, runPrefix);
    objectCases(ctx);
    bodyCases(ctx);
    conditionalCases(ctx);
    keyCases(ctx);
    alteredKeyCases(ctx);
    signedUrlCases(ctx);
    faultCases(
      () => fixture?.faults,
      async () => {
        const seed = ctx.key();
        await port().put(seed, patternBytes(256 * 1024, 5));
        return {
          head: { run: () => port().head(seed) },
          'put of 4 KiB': { run: () => port().put(ctx.key(), patternBytes(4096, 6)) },
          'get and read 256 KiB': { run: async () => (await port().get(seed)).bytes(), cutAfterBytes: 8 * 1024 },
          list: { run: () => port().list({ prefix: seed }) },
        };
      },
    );
  });
}
