import { SwitchyardError } from '../errors.js';
import { asSideCall, emit, nextDualCallId } from '../events.js';
import type { DualContext } from './shadow.js';

/**
 * One call through a dual-run composite. The side calls it starts through `primary` and `shadow`
 * carry its id, so their operation events can be drawn as children of the composite's own event
 * (an OpenTelemetry parent span with primary and shadow children).
 */
export interface DualScope {
  /** Starts a primary side call. */
  primary<T>(start: () => T): T;
  /** `start` as a shadow side call, to hand to `shadowCall` or `settleShadow`. */
  shadow<T>(start: () => T): () => T;
}

const UNLINKED: DualScope = { primary: (start) => start(), shadow: (start) => start };

/**
 * Runs a composite call and reports it once it settles as an operation event linked to its side
 * calls. Without an `onEvent` hook it costs nothing.
 */
export async function dualCall<T>(
  context: DualContext,
  provider: string,
  operation: string,
  run: (scope: DualScope) => Promise<T>,
): Promise<T> {
  if (!context.onEvent) return run(UNLINKED);
  const id = nextDualCallId();
  const scope: DualScope = {
    primary: (start) => asSideCall({ id, role: 'primary' }, start),
    shadow: (start) => () => asSideCall({ id, role: 'shadow' }, start),
  };
  const started = performance.now();
  const report = (error?: unknown) =>
    emit(context.onEvent, {
      type: 'operation',
      port: context.port,
      provider,
      operation,
      durationMs: performance.now() - started,
      ...(SwitchyardError.isInstance(error) ? { error } : {}),
      dual: { id, role: 'composite' },
    });
  try {
    const value = await run(scope);
    report();
    return value;
  } catch (error) {
    report(error);
    throw error;
  }
}
