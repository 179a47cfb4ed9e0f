import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import type { CircuitEvent, DivergenceEvent, KeySetEvent, OperationEvent, RepairEvent } from '@switchyard/core';
import { divergenceKind } from './kind.js';
import { ATTR, METRIC } from './names.js';
import type { OperationShape } from './shapes.js';
import { backlogReadings, circuitReadings, keysetReadings, LatestState, pairAttributes, type Reading } from './state.js';

/**
 * Bucket bounds in seconds: the semantic conventions' advice for `http.client.request.duration`
 * (5 ms … 10 s), extended below with 1 ms and 2.5 ms because local and in-region calls finish there.
 */
export const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

/** Records Switchyard events on OpenTelemetry instruments (see names.ts for what each one means). */
export class OperationMetrics {
  private readonly duration: Histogram;
  private readonly divergences: Counter;
  private readonly shadowFailures: Counter;
  private readonly repaired: Counter;
  private readonly latest = new LatestState();

  constructor(meter: Meter) {
    this.duration = meter.createHistogram(METRIC.operationDuration, {
      unit: 's',
      description: 'Duration of Switchyard port calls, from call to settle.',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    });
    this.divergences = meter.createCounter(METRIC.divergences, {
      unit: '{divergence}',
      description: 'Dual-run divergences between the primary and the shadow provider.',
    });
    this.shadowFailures = meter.createCounter(METRIC.shadowFailures, {
      unit: '{failure}',
      description: 'Dual-run shadow calls that failed or did not answer within the shadow timeout.',
    });
    this.repaired = meter.createCounter(METRIC.journalRepaired, { unit: '{entry}', description: 'Repair journal entries fixed.' });
    const observed = (name: string, unit: string, description: string, readings: () => Iterable<Reading>) =>
      meter.createObservableUpDownCounter(name, { unit, description }).addCallback((result) => {
        for (const { value, attributes } of readings()) result.observe(value, attributes);
      });
    const { latest } = this;
    observed(METRIC.journalBacklog, '{entry}', 'Repair journal entries still waiting, as the last repair run reported.', () =>
      backlogReadings(latest),
    );
    observed(METRIC.circuitState, '{circuit}', 'Dual-run shadow circuit breaker: 1 for its current state, 0 for the others.', () =>
      circuitReadings(latest),
    );
    observed(METRIC.keysetState, '{keyset}', 'Auth token-signing key set: 1 for its current state, 0 for the others.', () =>
      keysetReadings(latest),
    );
  }

  operation(event: OperationEvent, shape: OperationShape): void {
    this.duration.record(event.durationMs / 1000, shape.attributes);
  }

  divergence(event: DivergenceEvent): void {
    const kind = divergenceKind(event);
    const attributes: Attributes = {
      [ATTR.port]: event.port,
      [ATTR.operation]: event.operation,
      [ATTR.primary]: event.primary,
      [ATTR.shadow]: event.shadow,
    };
    this.divergences.add(1, { ...attributes, [ATTR.divergenceKind]: kind });
    if (kind !== 'shadow-failure') return;
    if (event.error) attributes[ATTR.errorType] = event.error.code;
    this.shadowFailures.add(1, attributes);
  }

  state(event: CircuitEvent | RepairEvent | KeySetEvent): void {
    this.latest.record(event);
    if (event.type === 'repair' && event.repaired > 0) this.repaired.add(event.repaired, pairAttributes(event));
  }
}
