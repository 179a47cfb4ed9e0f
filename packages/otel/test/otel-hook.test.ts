import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Histogram } from '@opentelemetry/sdk-metrics';
import type { OnEvent } from '@switchyard/core';
import { ATTR, createOtelHook, DURATION_BUCKETS, METRIC } from '@switchyard/otel';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { circuit, divergence, dualCall, failure, operation, repair, shadowOutageCall } from './events.js';
import { point, Telemetry, times } from './telemetry.js';

let telemetry: Telemetry;
let hook: OnEvent;

beforeEach(() => {
  telemetry = new Telemetry();
  hook = createOtelHook({ tracerProvider: telemetry.tracerProvider, meterProvider: telemetry.meterProvider });
});
afterEach(() => telemetry.close());

const PAIR = { [ATTR.port]: 'storage', [ATTR.primary]: 'supabase', [ATTR.shadow]: 'aws' };

describe('createOtelHook: operations', () => {
  it('reports a successful call as a client span ending now and a duration in seconds', async () => {
    const before = performance.timeOrigin + performance.now();
    hook(operation('storage', 'aws', 'put', 12));
    const after = performance.timeOrigin + performance.now();

    const [span, ...others] = telemetry.spans();
    expect(others).toEqual([]);
    expect(span).toMatchObject({ name: 'storage put', kind: SpanKind.CLIENT, status: { code: SpanStatusCode.UNSET } });
    expect(span!.instrumentationScope.name).toBe('@switchyard/otel');
    expect(span!.attributes).toEqual({
      [ATTR.port]: 'storage',
      [ATTR.provider]: 'aws',
      [ATTR.operation]: 'put',
      [ATTR.outcome]: 'success',
    });
    const { start, end } = times(span!);
    expect(end).toBeGreaterThanOrEqual(before - 0.01);
    expect(end).toBeLessThanOrEqual(after + 0.01);
    expect(end - start).toBeCloseTo(12, 2);

    const duration = (await telemetry.metrics()).get(METRIC.operationDuration);
    expect(duration?.descriptor).toMatchObject({ unit: 's' });
    const value = point<Histogram>(duration, span!.attributes)?.value;
    expect(value).toMatchObject({ count: 1, sum: 0.012, buckets: { boundaries: DURATION_BUCKETS } });
  });

  it('reports a failed call with its error code, retryability and message', async () => {
    const error = failure('UNAVAILABLE', 'aws', true);
    hook(operation('db', 'aws', 'query', 2_000, error));
    hook(operation('db', 'aws', 'query', 3, failure('NOT_FOUND', 'aws', false)));

    const [unavailable, notFound] = telemetry.spans();
    expect(unavailable!.attributes).toEqual({
      [ATTR.port]: 'db',
      [ATTR.provider]: 'aws',
      [ATTR.operation]: 'query',
      [ATTR.outcome]: 'failure',
      [ATTR.errorType]: 'UNAVAILABLE',
      [ATTR.retryable]: true,
    });
    expect(unavailable!.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
    expect(notFound!.attributes).toMatchObject({ [ATTR.errorType]: 'NOT_FOUND', [ATTR.retryable]: false });

    const duration = (await telemetry.metrics()).get(METRIC.operationDuration);
    const failed = { [ATTR.port]: 'db', [ATTR.provider]: 'aws', [ATTR.operation]: 'query', [ATTR.outcome]: 'failure' };
    expect(point<Histogram>(duration, { ...failed, [ATTR.errorType]: 'UNAVAILABLE' })?.value).toMatchObject({ count: 1, sum: 2 });
    expect(point<Histogram>(duration, { ...failed, [ATTR.errorType]: 'NOT_FOUND' })?.value).toMatchObject({ count: 1, sum: 0.003 });
  });
});

describe('createOtelHook: dual-run', () => {
  it('makes the composite call the parent of its side calls, whichever settles first', () => {
    // The primary settles before the composite returns; a compare read's shadow settles after it.
    const call = dualCall({ port: 'storage', operation: 'head', primaryMs: 4, shadowMs: 9, compositeMs: 5 });
    hook(call.primary);
    hook(call.composite);
    hook(call.shadow!);

    const spans = telemetry.spans();
    const composite = spans.find((s) => s.attributes[ATTR.dualRole] === 'composite')!;
    expect(composite).toMatchObject({ name: 'storage head', kind: SpanKind.INTERNAL });
    expect(composite.attributes[ATTR.provider]).toBe('supabase+aws');
    const children = spans.filter((s) => s !== composite);
    expect(children.map((s) => [s.attributes[ATTR.dualRole], s.attributes[ATTR.provider], s.kind]).sort()).toEqual([
      ['primary', 'supabase', SpanKind.CLIENT],
      ['shadow', 'aws', SpanKind.CLIENT],
    ]);
    for (const child of children) {
      expect(child.parentSpanContext?.spanId).toBe(composite.spanContext().spanId);
      expect(child.spanContext().traceId).toBe(composite.spanContext().traceId);
    }
  });

  it('keeps side calls of separate composite calls apart', () => {
    const publish = () => dualCall({ port: 'pubsub', operation: 'publish', primaryMs: 1, shadowMs: 2, compositeMs: 2 });
    const [one, two] = [publish(), publish()];
    for (const event of [one.primary, two.primary, two.shadow!, one.shadow!, two.composite, one.composite]) hook(event);

    const spans = telemetry.spans();
    const composites = spans.filter((s) => s.attributes[ATTR.dualRole] === 'composite');
    expect(composites).toHaveLength(2);
    for (const composite of composites) {
      const children = spans.filter((s) => s.parentSpanContext?.spanId === composite.spanContext().spanId);
      expect(children.map((s) => s.attributes[ATTR.dualRole]).sort()).toEqual(['primary', 'shadow']);
    }
  });

  it('exports side calls whose composite never reports, unparented, instead of holding them forever', () => {
    const orphans = Array.from({ length: 1025 }, () => dualCall({ port: 'db', operation: 'query', primaryMs: 1 }));
    for (const call of orphans) hook(call.primary);

    const spans = telemetry.spans();
    expect(spans).toHaveLength(1);
    expect(spans[0]!.parentSpanContext).toBeUndefined();
    expect(spans[0]!.attributes[ATTR.dualRole]).toBe('primary');
  });

  it('counts divergences by port, operation and kind, and shadow failures with their error code', async () => {
    hook(divergence('storage', 'head', 'mismatch'));
    hook(divergence('storage', 'head', 'mismatch'));
    hook(divergence('storage', 'get', 'missing'));
    hook(divergence('storage', 'put', 'shadow-failure', failure('UNAVAILABLE', 'aws', true)));
    // A composite that does not classify yet: the shadow's own error still marks a shadow failure.
    hook(divergence('storage', 'put', undefined, failure('RATE_LIMITED', 'aws', true)));
    hook(divergence('storage', 'copyForward', undefined, failure('FORBIDDEN', 'supabase', false)));

    const found = await telemetry.metrics();
    const divergences = found.get(METRIC.divergences);
    expect(divergences?.descriptor.unit).toBe('{divergence}');
    const count = (operation: string, kind: string) =>
      point<number>(divergences, { ...PAIR, [ATTR.operation]: operation, [ATTR.divergenceKind]: kind })?.value;
    expect(count('head', 'mismatch')).toBe(2);
    expect(count('get', 'missing')).toBe(1);
    expect(count('put', 'shadow-failure')).toBe(2);
    expect(count('copyForward', 'unspecified')).toBe(1);

    const shadowFailures = found.get(METRIC.shadowFailures);
    expect(shadowFailures?.dataPoints).toHaveLength(2);
    expect(point<number>(shadowFailures, { ...PAIR, [ATTR.operation]: 'put', [ATTR.errorType]: 'UNAVAILABLE' })?.value).toBe(1);
    expect(point<number>(shadowFailures, { ...PAIR, [ATTR.operation]: 'put', [ATTR.errorType]: 'RATE_LIMITED' })?.value).toBe(1);
  });

  it('follows a shadow outage: failing shadow calls, the circuit opening, calls without the shadow, recovery', async () => {
    const outage = failure('UNAVAILABLE', 'aws', true);
    for (let i = 0; i < 3; i++) {
      const call = shadowOutageCall('storage', 'put', outage);
      hook(call.primary);
      hook(call.shadow!);
      hook(divergence('storage', 'put', 'shadow-failure', outage));
      hook(call.composite);
    }
    hook(circuit('storage', 'open', outage));
    for (let i = 0; i < 2; i++) {
      const call = dualCall({ port: 'storage', operation: 'put' });
      hook(call.primary);
      hook(call.composite);
    }

    let found = await telemetry.metrics();
    expect(
      point<number>(found.get(METRIC.shadowFailures), { ...PAIR, [ATTR.operation]: 'put', [ATTR.errorType]: 'UNAVAILABLE' })?.value,
    ).toBe(3);
    const state = (name: string) => point<number>(found.get(METRIC.circuitState), { ...PAIR, [ATTR.circuitState]: name })?.value;
    expect(found.get(METRIC.circuitState)?.descriptor.unit).toBe('{circuit}');
    expect([state('closed'), state('half-open'), state('open')]).toEqual([0, 0, 1]);
    const shadowDurations = point<Histogram>(found.get(METRIC.operationDuration), {
      [ATTR.port]: 'storage',
      [ATTR.provider]: 'aws',
      [ATTR.operation]: 'put',
      [ATTR.outcome]: 'failure',
      [ATTR.errorType]: 'UNAVAILABLE',
      [ATTR.dualRole]: 'shadow',
    });
    expect(shadowDurations?.value).toMatchObject({ count: 3, sum: 6 });

    const spans = telemetry.spans();
    const composites = spans.filter((s) => s.attributes[ATTR.dualRole] === 'composite');
    const childrenOf = (parent: (typeof spans)[number]) => spans.filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);
    expect(composites.map((c) => childrenOf(c).length)).toEqual([2, 2, 2, 1, 1]);
    const failedShadow = childrenOf(composites[0]!).find((s) => s.attributes[ATTR.dualRole] === 'shadow')!;
    expect(failedShadow.status.code).toBe(SpanStatusCode.ERROR);

    hook(circuit('storage', 'half-open'));
    hook(circuit('storage', 'closed'));
    found = await telemetry.metrics();
    expect([state('closed'), state('half-open'), state('open')]).toEqual([1, 0, 0]);
  });

  it('reports the journal backlog of the latest repair run, the entries repaired, and each run as a span', async () => {
    hook(repair('storage', 5, 20));
    hook(repair('storage', 15, 5));

    const found = await telemetry.metrics();
    expect(point<number>(found.get(METRIC.journalBacklog), PAIR)?.value).toBe(5);
    expect(point<number>(found.get(METRIC.journalRepaired), PAIR)?.value).toBe(20);
    const spans = telemetry.spans();
    expect(spans.map((s) => [s.name, s.kind, s.attributes[ATTR.remaining]])).toEqual([
      ['storage repair', SpanKind.INTERNAL, 20],
      ['storage repair', SpanKind.INTERNAL, 5],
    ]);
    expect(times(spans[0]!).end - times(spans[0]!).start).toBeCloseTo(40, 2);
  });

  it('reports the state of auth key sets', async () => {
    const keyset = { type: 'keyset', port: 'auth', provider: 'aws', url: 'https://example.test/jwks.json' } as const;
    hook({ ...keyset, state: 'stale', error: failure('UNAVAILABLE', 'aws', true) });
    let found = await telemetry.metrics();
    const state = (name: string) =>
      point<number>(found.get(METRIC.keysetState), { [ATTR.provider]: 'aws', [ATTR.keysetState]: name })?.value;
    expect([state('fresh'), state('stale'), state('unavailable')]).toEqual([0, 1, 0]);
    hook({ ...keyset, state: 'recovered' });
    found = await telemetry.metrics();
    expect([state('fresh'), state('stale'), state('unavailable')]).toEqual([1, 0, 0]);
  });
});

describe('createOtelHook without an SDK', () => {
  it('takes every kind of event on the no-op API without throwing or exporting', () => {
    const noop = createOtelHook();
    const call = dualCall({ port: 'storage', operation: 'put', primaryMs: 1, shadowMs: 2, compositeMs: 2 });
    const events = [
      operation('storage', 'aws', 'put', 1),
      operation('storage', 'aws', 'put', 1, failure('UNAVAILABLE', 'aws', true)),
      call.primary,
      call.composite,
      call.shadow!,
      divergence('storage', 'put', 'shadow-failure', failure('UNAVAILABLE', 'aws', true)),
      circuit('storage', 'open'),
      repair('storage', 1, 2),
      { type: 'keyset', port: 'auth', provider: 'aws', url: 'https://example.test/jwks', state: 'stale' } as const,
    ];
    for (const event of events) expect(noop(event)).toBeUndefined();
    expect(telemetry.spans()).toEqual([]);
  });

  it('starts tracing once an SDK registers the global tracer provider', () => {
    const early = createOtelHook();
    early(operation('auth', 'supabase', 'verifyAccessToken', 1));
    trace.setGlobalTracerProvider(telemetry.tracerProvider);
    try {
      early(operation('auth', 'supabase', 'verifyAccessToken', 2));
    } finally {
      trace.disable();
    }
    expect(telemetry.spans().map((s) => [s.name, Math.round(times(s).end - times(s).start)])).toEqual([['auth verifyAccessToken', 2]]);
  });
});
