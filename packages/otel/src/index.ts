import {
  createNoopMeter,
  type Meter,
  type MeterProvider,
  metrics,
  ProxyTracerProvider,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import type { OnEvent, SwitchyardEvent } from '@switchyard/core';
import { OperationMetrics } from './metrics.js';
import { SCOPE } from './names.js';
import { OperationShapes } from './shapes.js';
import { OperationSpans } from './spans.js';

export { DURATION_BUCKETS } from './metrics.js';
export { ATTR, CIRCUIT_STATES, KEYSET_STATES, METRIC, OUTCOME, SCOPE } from './names.js';

export interface OtelHookOptions {
  /**
   * Where spans go. Default: the global provider, which follows an SDK registered later too.
   */
  tracerProvider?: TracerProvider;
  /**
   * Where metrics go. Default: the global provider as it is when the hook is created (the metrics
   * API has no proxy for a provider registered later): start the SDK before creating the hook.
   */
  meterProvider?: MeterProvider;
}

/**
 * Whether spans would be recorded now. The global provider is a proxy that hands out no-op tracers
 * until an SDK sets its delegate (then `getDelegate()` changes); a provider given directly is an SDK.
 */
function tracing(provider: TracerProvider): () => boolean {
  if (!(provider instanceof ProxyTracerProvider) || provider.getDelegateTracer(SCOPE) !== undefined) return () => true;
  const idle = provider.getDelegate();
  return () => provider.getDelegate() !== idle;
}

/** The metrics API has no proxy: a meter taken before any SDK is registered stays a no-op. */
function measuring(meter: Meter): boolean {
  return !(meter instanceof createNoopMeter().constructor);
}

/**
 * An `onEvent` hook for `createProviders` that turns Switchyard events into OpenTelemetry spans
 * and metrics through `@opentelemetry/api` alone: the app picks the SDK and exporters. With no
 * SDK registered every call lands on the API's no-op tracer and meter.
 */
export function createOtelHook(options: OtelHookOptions = {}): OnEvent {
  const tracerProvider = options.tracerProvider ?? trace.getTracerProvider();
  const tracer = tracerProvider.getTracer(SCOPE);
  const meter = (options.meterProvider ?? metrics.getMeterProvider()).getMeter(SCOPE);
  const tracingNow = tracing(tracerProvider);
  const measured = measuring(meter);
  const shapes = new OperationShapes();
  const spans = new OperationSpans(tracer);
  const instruments = new OperationMetrics(meter);
  return (event: SwitchyardEvent) => {
    switch (event.type) {
      case 'operation': {
        // The one hot path: with no SDK it costs a comparison, not a span and an attribute lookup.
        const traced = tracingNow();
        if (!traced && !measured) return;
        const shape = shapes.of(event);
        if (traced) spans.operation(event, shape);
        instruments.operation(event, shape);
        return;
      }
      case 'divergence':
        instruments.divergence(event);
        return;
      case 'repair':
        spans.repair(event);
        instruments.state(event);
        return;
      case 'circuit':
      case 'keyset':
        instruments.state(event);
        return;
    }
  };
}
