import type { PubSubPort } from '@switchyard/core/adapter';
import { afterAll, beforeAll, describe } from 'vitest';
import { faultCases } from '../faults.js';
import type { PubSubFixture, PubSubHarness, SuiteOptions } from '../fixtures.js';
import { randomId } from '../random.js';
import { pubSubCases } from './cases.js';
import { resumeCases } from './resume.js';

/**
 * The PubSubPort contract. The harness opens further clients of the same broker and counts the
 * connections a port holds, so `close` can be checked.
 */
export function describePubSubPort(name: string, factory: () => Promise<PubSubFixture>, options: SuiteOptions = {}): void {
  const namePrefix = options.namePrefix ?? '';
  describe(`${name} (PubSubPort contract)`, () => {
    let fixture: PubSubFixture | undefined;
    const others: PubSubPort[] = [];
    const started = (): PubSubFixture => {
      if (!fixture) throw new Error('the pub/sub fixture failed to start; see the beforeAll error');
      return fixture;
    };

    beforeAll(async () => {
      fixture = await factory();
    });

    afterAll(async () => {
      await Promise.all(others.map((other) => other.close()));
      await fixture?.teardown?.();
    });

    pubSubCases(
      () => started().port,
      (): PubSubHarness => started().harness,
      others,
      namePrefix,
    );
    faultCases(
      () => fixture?.faults,
      async () => ({ publish: { run: () => started().port.publish(`${namePrefix}faults:${randomId()}`, { n: 1 }) } }),
    );
    resumeCases(() => fixture, others, namePrefix);
  });
}
