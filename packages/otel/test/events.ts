import {
  type CircuitEvent,
  type DivergenceEvent,
  type DivergenceKind,
  nextDualCallId,
  type OperationEvent,
  type PortName,
  type RepairEvent,
  SwitchyardError,
} from '@switchyard/core';

/** Hand-built events, shaped like the ones adapters (through `observe`) and dual-run composites emit. */
export function operation(port: PortName, provider: string, name: string, durationMs: number, error?: SwitchyardError): OperationEvent {
  return { type: 'operation', port, provider, operation: name, durationMs, ...(error ? { error } : {}) };
}

export function failure(code: SwitchyardError['code'], provider: string, retryable: boolean): SwitchyardError {
  return new SwitchyardError({ code, provider, retryable, message: `The ${provider} call failed (${code}); try again later.` });
}

/**
 * One dual-run composite call as the composites are to report it (see the README's "What dual-run
 * composites emit"): the side calls' events carry `{ id, role }`, the composite's own event comes
 * after the primary's and carries the composite provider `primary+shadow`.
 */
export function dualCall(input: {
  port: PortName;
  operation: string;
  primary: string;
  shadow: string;
  primaryMs: number;
  shadowMs?: number;
  compositeMs: number;
  shadowError?: SwitchyardError;
}): { primary: OperationEvent; shadow?: OperationEvent; composite: OperationEvent } {
  const id = nextDualCallId();
  const { port, operation: name } = input;
  const primary: OperationEvent = { ...operation(port, input.primary, name, input.primaryMs), dual: { id, role: 'primary' } };
  const composite: OperationEvent = {
    ...operation(port, `${input.primary}+${input.shadow}`, name, input.compositeMs),
    dual: { id, role: 'composite' },
  };
  if (input.shadowMs === undefined) return { primary, composite };
  const shadow: OperationEvent = {
    ...operation(port, input.shadow, name, input.shadowMs, input.shadowError),
    dual: { id, role: 'shadow' },
  };
  return { primary, shadow, composite };
}

export function divergence(port: PortName, name: string, kind: DivergenceKind | undefined, error?: SwitchyardError): DivergenceEvent {
  return {
    type: 'divergence',
    port,
    operation: name,
    primary: 'supabase',
    shadow: 'aws',
    divergence: `test divergence (${kind ?? 'no kind'})`,
    ...(kind ? { kind } : {}),
    ...(error ? { error } : {}),
  };
}

export function circuit(port: PortName, state: CircuitEvent['state'], error?: SwitchyardError): CircuitEvent {
  return {
    type: 'circuit',
    port,
    primary: 'supabase',
    shadow: 'aws',
    state,
    ...(state === 'open' ? { failures: 5, retryInMs: 30_000 } : {}),
    ...(error ? { error } : {}),
  };
}

export function repair(port: PortName, repaired: number, remaining: number): RepairEvent {
  return { type: 'repair', port, primary: 'supabase', shadow: 'aws', repaired, remaining, durationMs: 40 };
}
