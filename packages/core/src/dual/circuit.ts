import { type PortName, SwitchyardError } from '../errors.js';
import { emit, type OnEvent } from '../events.js';

/** How a composite's shadow circuit trips and recovers. */
export interface CircuitOptions {
  /** Consecutive shadow outages (timeouts, UNAVAILABLE, RATE_LIMITED) that open the circuit. Default 3. */
  failureThreshold?: number;
  /** How long the shadow is skipped after the circuit opens, before one call probes it. Default 5,000 ms. */
  openMs?: number;
  /** Each failed probe doubles the wait, up to this. Default 60,000 ms. */
  maxOpenMs?: number;
}

/** Marks the error a skipped call gets, so callers can tell "not tried" from "failed". */
const SKIPPED = Symbol.for('switchyard.circuit.skipped');

/** A ticket for one admitted call: whether it is the half-open probe. */
export interface CircuitTicket {
  probe: boolean;
}

/** True for an error that says the shadow is down or overloaded, as opposed to an answer (NOT_FOUND, CONFLICT...). */
function isOutage(error: unknown): boolean {
  if (!SwitchyardError.isInstance(error)) return true;
  return error.code === 'UNAVAILABLE' || error.code === 'RATE_LIMITED';
}

/** True when `error` is the one a call got because the circuit skipped the shadow. */
export function wasSkipped(error: unknown): boolean {
  return typeof error === 'object' && error !== null && SKIPPED in error;
}

/**
 * The shadow side's circuit breaker. A shadow that is down would otherwise cost every request the
 * full shadow bound; after `failureThreshold` consecutive outages the circuit opens and shadow calls
 * are skipped at once (writes are journaled for repair as if they had failed), one call probes the
 * shadow after `openMs`, and a successful probe closes it again. Each change is reported once.
 */
export class ShadowCircuit {
  private state: 'closed' | 'open' | 'half-open' = 'closed';
  private failures = 0;
  private openUntil = 0;
  private openFor: number;
  private probing = false;
  private lastError: unknown;
  private readonly threshold: number;
  private readonly baseOpenMs: number;
  private readonly maxOpenMs: number;

  constructor(
    private readonly side: { port: PortName; primary: string; shadow: string; onEvent: OnEvent | undefined },
    options: CircuitOptions = {},
  ) {
    this.threshold = options.failureThreshold ?? 3;
    this.baseOpenMs = options.openMs ?? 5_000;
    this.maxOpenMs = options.maxOpenMs ?? 60_000;
    this.openFor = this.baseOpenMs;
  }

  /** A ticket when a shadow call may start now (one probe at a time while half-open), else undefined. */
  admit(): CircuitTicket | undefined {
    if (this.state === 'closed') return { probe: false };
    if (this.state === 'open') {
      if (performance.now() < this.openUntil) return undefined;
      this.transition('half-open');
    }
    if (this.probing) return undefined;
    this.probing = true;
    return { probe: true };
  }

  /** Feeds the outcome of an admitted call back. */
  settled(ticket: CircuitTicket, error?: unknown): void {
    const outage = error !== undefined && isOutage(error);
    if (ticket.probe) {
      this.probing = false;
      if (outage) {
        this.openFor = Math.min(this.openFor * 2, this.maxOpenMs);
        this.open(error);
      } else {
        this.failures = 0;
        this.openFor = this.baseOpenMs;
        this.transition('closed');
      }
      return;
    }
    // A call admitted before the circuit opened may settle after: only closed-state calls count.
    if (this.state !== 'closed') return;
    if (!outage) {
      this.failures = 0;
      return;
    }
    this.failures++;
    if (this.failures >= this.threshold) this.open(error);
  }

  /** The error a skipped call gets: retryable UNAVAILABLE, saying when the shadow is tried again. */
  skippedError(operation: string): SwitchyardError {
    const waitMs = Math.max(0, Math.ceil(this.openUntil - performance.now()));
    const error = new SwitchyardError({
      code: 'UNAVAILABLE',
      port: this.side.port,
      provider: this.side.shadow,
      operation,
      cause: this.lastError,
      details: { circuit: 'open' },
      message: `The ${this.side.shadow} shadow is skipped: its circuit opened after ${this.threshold} consecutive failures; it is probed again in ${Math.ceil(waitMs / 1000)} s.`,
    });
    Object.defineProperty(error, SKIPPED, { value: true });
    return error;
  }

  private open(error: unknown): void {
    this.lastError = error;
    this.openUntil = performance.now() + this.openFor;
    this.transition('open', error);
  }

  private transition(state: 'closed' | 'open' | 'half-open', error?: unknown): void {
    if (this.state === state) return;
    this.state = state;
    emit(this.side.onEvent, {
      type: 'circuit',
      port: this.side.port,
      primary: this.side.primary,
      shadow: this.side.shadow,
      state,
      ...(state === 'open' ? { failures: this.failures || this.threshold, retryInMs: this.openFor } : {}),
      ...(state === 'open' && SwitchyardError.isInstance(error) ? { error } : {}),
    });
  }
}
