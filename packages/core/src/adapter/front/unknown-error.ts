import { type PortName, SwitchyardError } from '../../errors.js';
import { type OperationMeta, runOperation } from '../../events.js';

/**
 * A throw that is not a SwitchyardError (a provider error the adapter did not map, a bug) as the
 * one error type a port throws, with the original kept as `cause`. Not retryable: nothing says a
 * second try would end differently.
 */
export function unknownError(port: PortName, provider: string, operation: string): (error: unknown) => unknown {
  return (error) => {
    if (SwitchyardError.isInstance(error)) return error;
    const what = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return new SwitchyardError({
      code: 'UNAVAILABLE',
      port,
      provider,
      operation,
      retryable: false,
      cause: error,
      message: `${provider} ${port} failed during ${operation} in a way the adapter does not recognise (${what.slice(0, 200)}); see the cause, and report it to the adapter's authors.`,
    });
  };
}

/**
 * One port call as the front layer makes it: one operation event, an unknown throw wrapped, and a
 * synchronous throw of `call` (input checked before any await) returned as a rejection, so `call`
 * need not be an async function: that saves a promise per call on a busy port.
 */
export function frontCall<T>(meta: OperationMeta, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return runOperation(meta, operation, call, unknownError(meta.port, meta.provider, operation));
  } catch (error) {
    return Promise.reject(error);
  }
}
