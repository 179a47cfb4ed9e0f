import { type OnEvent, observe, type StoragePort, SwitchyardError } from '@switchyard/core/adapter';

/**
 * A storage provider that is down: every call fails the way an adapter reports a refused
 * connection (`UNAVAILABLE`, retryable, stamped with its provider), observed like a real adapter.
 */
export function unreachableStorage(like: StoragePort, provider: string, onEvent: OnEvent): StoragePort {
  const down = (operation: string) =>
    Promise.reject(
      new SwitchyardError({
        code: 'UNAVAILABLE',
        port: 'storage',
        provider,
        operation,
        retryable: true,
        message: `The ${provider} storage refused the connection; check that it is reachable.`,
      }),
    );
  const port = new Proxy(like, {
    get(target, prop, receiver) {
      if (prop === 'provider') return provider;
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' && typeof prop === 'string' ? () => down(prop) : value;
    },
  });
  return observe(port, { port: 'storage', provider, onEvent });
}
