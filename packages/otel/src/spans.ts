import { type Context, ROOT_CONTEXT, type SpanContext, SpanKind, SpanStatusCode, type Tracer, trace } from '@opentelemetry/api';
import type { OperationEvent, RepairEvent } from '@switchyard/core';
import { ATTR } from './names.js';
import type { OperationShape } from './shapes.js';

interface Settled {
  event: OperationEvent;
  shape: OperationShape;
  /** Epoch milliseconds when its event arrived, which is when it settled. */
  end: number;
}

/** How many dual-run calls may wait for (or be remembered as parents of) their side calls. */
const MOST_LINKED_CALLS = 1024;

/** Events arrive the moment a call settles, so the clock at arrival is the span's end. */
function now(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Turns operation events into spans after the fact, with explicit start and end times. A
 * dual-run composite call becomes a parent span with its primary and shadow calls as children.
 * A side call usually settles before its composite (its event comes first) and a shadow call may
 * settle after it (compare reads, calls past the shadow timeout): early ones wait for their
 * parent, late ones find it among the recent composites.
 */
export class OperationSpans {
  private readonly waiting = new Map<number, Settled[]>();
  private readonly parents = new Map<number, Context>();

  constructor(private readonly tracer: Tracer) {}

  operation(event: OperationEvent, shape: OperationShape): void {
    const end = now();
    const dual = event.dual;
    // Unlinked calls take the active context as parent: the caller's, as promise callbacks keep it.
    if (dual === undefined) this.export({ event, shape, end }, undefined);
    else if (dual.role === 'composite') this.composite(dual.id, { event, shape, end });
    else {
      const parent = this.parents.get(dual.id);
      if (parent) this.export({ event, shape, end }, parent);
      else this.wait(dual.id, { event, shape, end });
    }
  }

  repair(event: RepairEvent): void {
    const end = now();
    const span = this.tracer.startSpan(`${event.port} repair`, {
      kind: SpanKind.INTERNAL,
      startTime: end - event.durationMs,
      attributes: {
        [ATTR.port]: event.port,
        [ATTR.primary]: event.primary,
        [ATTR.shadow]: event.shadow,
        [ATTR.repaired]: event.repaired,
        [ATTR.remaining]: event.remaining,
      },
    });
    span.end(end);
  }

  private composite(id: number, settled: Settled): void {
    const recorded = this.export(settled, undefined);
    const children = this.waiting.get(id);
    this.waiting.delete(id);
    // Without an SDK (or when sampled out) there is nothing to attach children to.
    if (recorded === undefined) return;
    const parent = trace.setSpanContext(ROOT_CONTEXT, recorded);
    for (const child of children ?? []) this.export(child, parent);
    this.parents.set(id, parent);
    if (this.parents.size > MOST_LINKED_CALLS) this.parents.delete(this.parents.keys().next().value!);
  }

  private wait(id: number, settled: Settled): void {
    const siblings = this.waiting.get(id);
    if (siblings) {
      siblings.push(settled);
      return;
    }
    this.waiting.set(id, [settled]);
    if (this.waiting.size <= MOST_LINKED_CALLS) return;
    // A composite that never reported (or a flood of them): export its side calls unparented.
    const [oldest, orphans] = this.waiting.entries().next().value!;
    this.waiting.delete(oldest);
    for (const orphan of orphans) this.export(orphan, ROOT_CONTEXT);
  }

  /** Exports one span; returns its context when it was recorded (a span stops recording once ended). */
  private export({ event, shape, end }: Settled, parent: Context | undefined): SpanContext | undefined {
    const kind = event.dual?.role === 'composite' ? SpanKind.INTERNAL : SpanKind.CLIENT;
    const span = this.tracer.startSpan(shape.name, { kind, startTime: end - event.durationMs, attributes: shape.attributes }, parent);
    if (!span.isRecording()) return undefined;
    const { error } = event;
    if (error) {
      span.setAttribute(ATTR.retryable, error.retryable);
      // Messages say what to fix and never hold secrets (a house rule every adapter is tested for).
      span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
    }
    span.end(end);
    return span.spanContext();
  }
}
