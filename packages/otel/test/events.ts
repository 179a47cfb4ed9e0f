import {
  type CircuitEvent,
  type DivergenceEvent,
  type DivergenceKind,
  nextDualCallId,
  type OperationEvent,
  type PortName,
  type RepairEvent,
  SwitchyardError,
} from '@switchyard/core/adapter';

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
  /** Default `supabase` primary, `aws` shadow. */
  primary?: string;
  shadow?: string;
  /** Default 3 ms. */
  primaryMs?: number;
  /** Leave out for a call that skipped the shadow (circuit open, or a read in `primary` mode). */
  shadowMs?: number;
  /** Default: the primary's time. */
  compositeMs?: number;
  shadowError?: SwitchyardError;
}): { primary: OperationEvent; shadow?: OperationEvent; composite: OperationEvent } {
  const id = nextDualCallId();
  const { port, operation: name, primary: primaryName = 'supabase', shadow: shadowName = 'aws', primaryMs = 3 } = input;
  const compositeMs = input.compositeMs ?? primaryMs;
  const primary: OperationEvent = { ...operation(port, primaryName, name, primaryMs), dual: { id, role: 'primary' } };
  const composite: OperationEvent = {
    ...operation(port, `${primaryName}+${shadowName}`, name, compositeMs),
    dual: { id, role: 'composite' },
  };
  if (input.shadowMs === undefined) return { primary, composite };
  const shadow: OperationEvent = {
    ...operation(port, shadowName, name, input.shadowMs, input.shadowError),
    dual: { id, role: 'shadow' },
  };
  return { primary, shadow, composite };
}

/** A dual-run call whose shadow failed after the 2 s shadow timeout. */
export function shadowOutageCall(port: PortName, name: string, error: SwitchyardError) {
  return dualCall({ port, operation: name, shadowMs: 2_000, compositeMs: 2_001, shadowError: error });
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
