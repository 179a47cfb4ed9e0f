import type { AuthPort, OnEvent, SwitchyardEvent } from '@switchyard/core/adapter';
import type { KeySetAdapter } from '../fixtures.js';

/**
 * A `KeySetHarness.open()` result around `create`, which gets the clock to give the new adapter
 * (moved by `advance`) and the hook that collects its `keyset` events.
 */
export async function openKeySetAdapter(create: (now: () => number, onEvent: OnEvent) => Promise<AuthPort>): Promise<KeySetAdapter> {
  let now = Date.now();
  const events: KeySetAdapter['events'] = [];
  const port = await create(
    () => now,
    (event: SwitchyardEvent) => {
      if (event.type === 'keyset') events.push(event);
    },
  );
  return {
    port,
    events,
    advance: (ms) => {
      now += ms;
    },
    close: () => port.close(),
  };
}
