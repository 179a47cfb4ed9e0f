import { type PortName, SwitchyardError } from './errors.js';

/** One call through a port, reported after it settles. */
export interface OperationEvent {
  type: 'operation';
  port: PortName;
  provider: string;
  operation: string;
  durationMs: number;
  /** Present when the call failed. */
  error?: SwitchyardError;
}

/** Dual-run found the two providers disagreeing, or the shadow failing. */
export interface DivergenceEvent {
  type: 'divergence';
  port: PortName;
  operation: string;
  primary: string;
  shadow: string;
  /** A short, secret-free description of what differed. */
  divergence: string;
  key?: string;
  error?: SwitchyardError;
}

/**
 * A dual-run composite stopped calling its shadow after repeated failures (`open`), is letting one
 * call through to probe it (`half-open`), or is calling it again (`closed`). While open, writes the
 * shadow misses are journaled for repair as if it had failed them.
 */
export interface CircuitEvent {
  type: 'circuit';
  port: PortName;
  primary: string;
  shadow: string;
  state: 'open' | 'half-open' | 'closed';
  /** Consecutive shadow failures that opened the circuit (state `open`). */
  failures?: number;
  /** How long the shadow is skipped before the next probe (state `open`). */
  retryInMs?: number;
  /** The failure that opened it (state `open`). */
  error?: SwitchyardError;
}

/**
 * An auth adapter's token-signing key set (JWKS): a refresh failed, and tokens are verified with the
 * keys cached before (`stale`) or cannot be verified at all (`unavailable`); or it was fetched again
 * after a failure (`recovered`).
 */
export interface KeySetEvent {
  type: 'keyset';
  port: 'auth';
  provider: string;
  /** The key set's URL (never carries a secret). */
  url: string;
  state: 'stale' | 'unavailable' | 'recovered';
  /** Why the refresh failed (states `stale` and `unavailable`). */
  error?: SwitchyardError;
}

/** `repair()` replayed the storage repair journal: what it fixed and what is still waiting. */
export interface RepairEvent {
  type: 'repair';
  port: PortName;
  primary: string;
  shadow: string;
  repaired: number;
  /** The journal's backlog after this run; it must reach 0 before the shadow is trusted. */
  remaining: number;
  durationMs: number;
}

export type SwitchyardEvent = OperationEvent | DivergenceEvent | CircuitEvent | KeySetEvent | RepairEvent;

/**
 * Receives every event. The library prints nothing by itself; wire this to a logger or metrics.
 * It must not throw: an exception from the hook is swallowed so it can never break a request.
 */
export type OnEvent = (event: SwitchyardEvent) => void;

/** Calls the hook, shielding the caller from a hook that throws. */
export function emit(onEvent: OnEvent | undefined, event: SwitchyardEvent): void {
  if (!onEvent) return;
  try {
    onEvent(event);
  } catch {
    // An observability hook must never change the outcome of the operation it observes.
  }
}

/**
 * Wraps every async method of a port so that each call reports an OperationEvent.
 * Nested objects listed in `nested` (for example `admin` on AuthPort) are wrapped too.
 */
export function observe<T extends object>(
  target: T,
  meta: { port: PortName; provider: string; onEvent?: OnEvent | undefined; nested?: readonly string[] },
  prefix = '',
): T {
  const { onEvent } = meta;
  if (!onEvent) return target;
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      if (typeof prop !== 'string') return value;
      if (meta.nested?.includes(prop) && typeof value === 'object' && value !== null) {
        return observe(value, { ...meta, nested: [] }, `${prefix}${prop}.`);
      }
      if (typeof value !== 'function' || prop === 'constructor') return value;
      return (...args: unknown[]) => {
        const started = performance.now();
        const report = (error?: unknown) => {
          const event: OperationEvent = {
            type: 'operation',
            port: meta.port,
            provider: meta.provider,
            operation: `${prefix}${prop}`,
            durationMs: performance.now() - started,
          };
          if (SwitchyardError.isInstance(error)) event.error = error;
          emit(onEvent, event);
        };
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(obj, args);
        } catch (error) {
          report(error);
          throw error;
        }
        if (result instanceof Promise) {
          return result.then(
            (v) => {
              report();
              return v;
            },
            (error: unknown) => {
              report(error);
              throw error;
            },
          );
        }
        report();
        return result;
      };
    },
  });
}
