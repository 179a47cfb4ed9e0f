import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { DualStorage } from '@switchyard/core';
import { createLocalStorage } from '@switchyard/local';
import { ATTR, createOtelHook, METRIC } from '@switchyard/otel';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { unreachableStorage } from './fakes/unreachable-storage.js';
import { point, Telemetry } from './telemetry.js';

// Real ports (local filesystem storage, the DualStorage composite of @switchyard/core as it is
// today) reporting through `observe`, with the AsyncLocalStorage context manager an app's SDK registers.
let directory: string;
let telemetry: Telemetry;
const contextManager = new AsyncLocalStorageContextManager();

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'switchyard-otel-'));
  telemetry = new Telemetry();
});
afterEach(async () => {
  await telemetry.close();
  await rm(directory, { recursive: true, force: true });
});

describe('createOtelHook through real ports', () => {
  it("makes each call a child of the caller's active span, a failure included", async () => {
    const onEvent = createOtelHook({ tracerProvider: telemetry.tracerProvider, meterProvider: telemetry.meterProvider });
    const storage = await createLocalStorage({ directory, onEvent });
    const tracer = telemetry.tracerProvider.getTracer('app');
    await tracer.startActiveSpan('GET /photos', async (request) => {
      await storage.put('photos/1.jpg', 'jpeg bytes');
      await storage.head('photos/1.jpg');
      await expect(storage.get('photos/missing.jpg')).rejects.toMatchObject({ code: 'NOT_FOUND' });
      request.end();
    });

    const spans = telemetry.spans();
    const request = spans.find((s) => s.name === 'GET /photos')!;
    const calls = spans.filter((s) => s !== request);
    expect(calls.map((s) => [s.name, s.attributes[ATTR.outcome], s.attributes[ATTR.errorType]])).toEqual([
      ['storage put', 'success', undefined],
      ['storage head', 'success', undefined],
      ['storage get', 'failure', 'NOT_FOUND'],
    ]);
    for (const call of calls) expect(call.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(calls[2]!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("counts the current DualStorage's shadow write failures, which it reports without a kind", async () => {
    const onEvent = createOtelHook({ tracerProvider: telemetry.tracerProvider, meterProvider: telemetry.meterProvider });
    const primary = await createLocalStorage({ directory, onEvent });
    const dual = new DualStorage({ primary, shadow: unreachableStorage(primary, 'aws', onEvent), onEvent });
    await dual.put('photos/2.jpg', 'jpeg bytes');
    await dual.put('photos/3.jpg', 'jpeg bytes');

    const found = await telemetry.metrics();
    const pair = { [ATTR.port]: 'storage', [ATTR.primary]: 'local', [ATTR.shadow]: 'aws', [ATTR.operation]: 'put' };
    expect(point<number>(found.get(METRIC.shadowFailures), { ...pair, [ATTR.errorType]: 'UNAVAILABLE' })?.value).toBe(2);
    expect(point<number>(found.get(METRIC.divergences), { ...pair, [ATTR.divergenceKind]: 'shadow-failure' })?.value).toBe(2);
    const shadowCalls = telemetry.spans().filter((s) => s.attributes[ATTR.provider] === 'aws');
    expect(shadowCalls.map((s) => [s.name, s.attributes[ATTR.errorType]])).toEqual([
      ['storage put', 'UNAVAILABLE'],
      ['storage put', 'UNAVAILABLE'],
    ]);
  });
});
