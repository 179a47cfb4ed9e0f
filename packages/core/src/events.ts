import { type PortName, SwitchyardError } from './errors.js';

/**
 * Links the calls of one dual-run composite call: the composite's own OperationEvent (`composite`,
 * its provider is the composite's, e.g. `supabase+aws`) and those of the side calls it made.
 */
export interface DualCall {
  /** Shared by the composite call and its side calls; unique in this process (`nextDualCallId`). */
  id: number;
  role: 'composite' | 'primary' | 'shadow';
}

/**
 * One call through a port, reported the moment it settles: the time of the report is its end, so
 * a consumer can place it on a timeline from `durationMs` alone.
 */
export interface OperationEvent {
  type: 'operation';
  port: PortName;
  provider: string;
  operation: string;
  durationMs: number;
  /** Present when the call failed. */
  error?: SwitchyardError;
  /** Present on a dual-run composite call and on the side calls it made (see `asSideCall`). */
  dual?: DualCall;
}

/**
 * What a divergence means for the migration, so alerts need not parse `divergence` text:
 * - `mismatch`: a compare read or mirrored query got different answers from the two sides.
 * - `missing`: something existed only in the shadow (served from it, or migrated from it).
 * - `shadow-failure`: the shadow failed or timed out on a call; writes it missed are journaled.
 * - `primary-failure`: the primary failed a read and the shadow answered it instead.
 * - `repair-failure`: a step meant to bring the sides together failed (journal refused an entry,
 *   copy-forward to the primary failed), so nothing will retry it by itself.
 * - `unsupported`: the shadow (or primary) cannot hold what the other side has, e.g. the user's id.
 * - `rolled-back`: the primary refused a write the shadow had taken; the shadow copy was removed.
 */
export type DivergenceKind =
  | 'mismatch'
  | 'missing'
  | 'shadow-failure'
  | 'primary-failure'
  | 'repair-failure'
  | 'unsupported'
  | 'rolled-back';

/** Dual-run found the two providers disagreeing, or the shadow failing. */
export interface DivergenceEvent {
  type: 'divergence';
  port: PortName;
  operation: string;
  primary: string;
  shadow: string;
  /** A short, secret-free description of what differed. */
  divergence: string;
  /** The class of divergence; consumers infer one from `error` when a composite leaves it out. */
  kind?: DivergenceKind;
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

let lastDualCallId = 0;

/** A fresh id for `DualCall.id`. */
export function nextDualCallId(): number {
  lastDualCallId += 1;
  return lastDualCallId;
}

// The side call being started right now. JavaScript runs `start` to its first await without
// interleaving, so a plain variable carries the link to the observed method it calls: no
// AsyncLocalStorage, and nothing at all for calls outside a dual-run composite.
let startingSideCall: DualCall | undefined;

/**
 * Runs `start`, which must call one method of an observed side port directly (not after an
 * await), so the OperationEvent of that call carries `link`. Returns what `start` returns.
 */
export function asSideCall<T>(link: DualCall, start: () => T): T {
  const outer = startingSideCall;
  startingSideCall = link;
  try {
    return start();
  } finally {
    startingSideCall = outer;
  }
}

/** Who reports an operation: the port, the provider and the hook. */
export interface OperationMeta {
  port: PortName;
  provider: string;
  onEvent?: OnEvent | undefined;
}

/**
 * Runs one port operation and reports it once it settles: its duration, its error, and the
 * dual-run call it belongs to when a composite started it (`asSideCall`). A throw that is not a
 * SwitchyardError is turned into one by `wrapUnknown`, keeping the original as `cause`.
 */
export function runOperation<T>(
  meta: OperationMeta,
  operation: string,
  call: () => T,
  wrapUnknown: (error: unknown) => unknown = (error) => error,
): T {
  const dual = startingSideCall;
  // Calls this operation makes to other ports are its own, not the composite's.
  startingSideCall = undefined;
  // No report closure per call (see report()): a busy publisher makes tens of thousands a second.
  const started = meta.onEvent ? performance.now() : 0;
  let result: T;
  try {
    result = call();
  } catch (error) {
    const wrapped = wrapUnknown(error);
    report(meta, operation, started, dual, wrapped);
    throw wrapped;
  } finally {
    startingSideCall = dual;
  }
  if (result instanceof Promise) {
    if (!meta.onEvent) {
      return result.catch((error: unknown) => {
        throw wrapUnknown(error);
      }) as T;
    }
    return result.then(
      (value: unknown) => {
        report(meta, operation, started, dual);
        return value;
      },
      (error: unknown) => {
        const wrapped = wrapUnknown(error);
        report(meta, operation, started, dual, wrapped);
        throw wrapped;
      },
    ) as T;
  }
  report(meta, operation, started, dual);
  return result;
}

/** Emits the OperationEvent of one settled call, when the port has a hook. */
function report(meta: OperationMeta, operation: string, started: number, dual: DualCall | undefined, error?: unknown): void {
  const { onEvent } = meta;
  if (!onEvent) return;
  const event: OperationEvent = {
    type: 'operation',
    port: meta.port,
    provider: meta.provider,
    operation,
    durationMs: performance.now() - started,
  };
  if (SwitchyardError.isInstance(error)) event.error = error;
  if (dual) event.dual = dual;
  emit(onEvent, event);
}

/**
 * Wraps every method of `target` so that each call reports an OperationEvent (see `runOperation`).
 * Nested objects listed in `nested` (for example `admin` on AuthPort) are wrapped too. For ports
 * not built on the front layer (`@switchyard/core/adapter`), which reports by itself.
 */
export function observe<T extends object>(target: T, meta: OperationMeta & { nested?: readonly string[] }, prefix = ''): T {
  if (!meta.onEvent) return target;
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, receiver);
      // Printing and serialising the port are not operations.
      if (typeof prop !== 'string' || prop === 'toJSON' || prop === 'toString') return value;
      if (meta.nested?.includes(prop) && typeof value === 'object' && value !== null) {
        return observe(value, { ...meta, nested: [] }, `${prefix}${prop}.`);
      }
      if (typeof value !== 'function' || prop === 'constructor') return value;
      return (...args: unknown[]) => runOperation(meta, `${prefix}${prop}`, () => (value as (...a: unknown[]) => unknown).apply(obj, args));
    },
  });
}
