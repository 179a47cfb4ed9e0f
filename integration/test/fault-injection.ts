import { SwitchyardError } from '@switchyard/core';

/** How a wrapped provider misbehaves: not at all, refusing connections, hanging, or answering 5xx. */
export type Fault = 'none' | 'refuse' | 'hang' | 'error';

/** A switch the test flips while the port is in use. */
export class FaultSwitch {
  mode: Fault = 'none';
  /** Calls that arrived while a fault was on. */
  hits = 0;
}

const PASS_THROUGH = new Set(['close', 'constructor']);

function failure(fault: Fault, provider: string): Promise<never> {
  if (fault === 'hang') return new Promise<never>(() => {});
  const refused = fault === 'refuse';
  const cause = Object.assign(new Error(refused ? 'connect ECONNREFUSED 127.0.0.1:1' : 'Service Unavailable'), {
    code: refused ? 'ECONNREFUSED' : undefined,
    status: refused ? undefined : 503,
  });
  return Promise.reject(
    new SwitchyardError({
      code: 'UNAVAILABLE',
      provider,
      message: refused ? 'the provider refused the connection' : 'the provider answered 503',
      cause,
    }),
  );
}

/**
 * Wraps a port (and nested objects such as `admin`) so that, while `faults.mode` is not `none`,
 * every method fails the way the mode says — the way a real client sees a provider outage.
 */
export function withFaults<T extends object>(port: T, faults: FaultSwitch, nested: readonly string[] = []): T {
  return new Proxy(port, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string') return value;
      if (nested.includes(prop) && typeof value === 'object' && value !== null) return withFaults(value, faults);
      if (typeof value !== 'function' || PASS_THROUGH.has(prop)) return value;
      return (...args: unknown[]) => {
        if (faults.mode === 'none') return (value as (...a: unknown[]) => unknown).apply(target, args);
        faults.hits++;
        return failure(faults.mode, String((target as { provider?: unknown }).provider));
      };
    },
  });
}
