import { Metrics } from '@aws-lambda-powertools/metrics';
import { ATTR, createCloudWatchMetrics, METRIC } from '@switchyard/otel/cloudwatch';
import { afterEach, beforeEach, describe, expect, it, type MockInstance, vi } from 'vitest';
import { type EmfDocument, parseEmf } from './emf-spec.js';
import { circuit, divergence, dualCall, failure, operation, repair } from './events.js';

let stdout: MockInstance;
let lines: string[];

beforeEach(() => {
  lines = [];
  // Powertools writes EMF to stdout (through its own Console), as Lambda's log capture expects.
  stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    return true;
  });
});
afterEach(() => stdout.mockRestore());

function documents(): EmfDocument[] {
  return lines.map(parseEmf);
}

/** The one document whose root carries `metric` with these dimension values. */
function find(metric: string, dimensions: Record<string, string>): EmfDocument {
  const found = documents().filter((d) => d[metric] !== undefined && Object.entries(dimensions).every(([k, v]) => d[k] === v));
  expect(found, `${metric} ${JSON.stringify(dimensions)}`).toHaveLength(1);
  return found[0]!;
}

const metrics = () => new Metrics({ namespace: 'Switchyard', serviceName: 'match-job' });

describe('createCloudWatchMetrics', () => {
  it('writes the OpenTelemetry metrics as valid EMF, one document per dimension set', () => {
    const cloudwatch = createCloudWatchMetrics({ metrics: metrics() });
    const outage = failure('UNAVAILABLE', 'aws', true);
    cloudwatch.onEvent(operation('storage', 'aws', 'put', 12));
    cloudwatch.onEvent(operation('storage', 'aws', 'put', 20));
    cloudwatch.onEvent(operation('storage', 'aws', 'put', 2_000, outage));
    cloudwatch.onEvent(divergence('storage', 'head', 'mismatch'));
    cloudwatch.onEvent(divergence('storage', 'head', 'mismatch'));
    cloudwatch.onEvent(divergence('storage', 'put', 'shadow-failure', outage));
    cloudwatch.onEvent(circuit('storage', 'open', outage));
    cloudwatch.onEvent(repair('storage', 3, 7));
    expect(lines).toEqual([]);
    cloudwatch.publish();

    const all = documents();
    expect(all.length).toBeGreaterThan(0);
    for (const document of all) {
      expect(document._aws.CloudWatchMetrics[0]!.Namespace).toBe('Switchyard');
      expect(document.service).toBe('match-job');
    }
    const ok = find(METRIC.operationDuration, { [ATTR.port]: 'storage', [ATTR.provider]: 'aws', [ATTR.outcome]: 'success' });
    expect(ok[METRIC.operationDuration]).toEqual([0.012, 0.02]);
    expect(ok._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: METRIC.operationDuration, Unit: 'Seconds' }]);
    expect(ok._aws.CloudWatchMetrics[0]!.Dimensions).toEqual([['service', ATTR.port, ATTR.provider, ATTR.operation, ATTR.outcome]]);
    const failed = find(METRIC.operationDuration, { [ATTR.outcome]: 'failure' });
    expect(failed[ATTR.errorType]).toBe('UNAVAILABLE');
    expect(failed[METRIC.operationDuration]).toBe(2);

    expect(find(METRIC.divergences, { [ATTR.divergenceKind]: 'mismatch' })[METRIC.divergences]).toBe(2);
    expect(find(METRIC.divergences, { [ATTR.divergenceKind]: 'shadow-failure' })[METRIC.divergences]).toBe(1);
    const shadow = find(METRIC.shadowFailures, { [ATTR.operation]: 'put' });
    expect(shadow).toMatchObject({ [METRIC.shadowFailures]: 1, [ATTR.errorType]: 'UNAVAILABLE', [ATTR.shadow]: 'aws' });
    expect(shadow._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: METRIC.shadowFailures, Unit: 'Count' }]);
    expect(find(METRIC.journalBacklog, { [ATTR.port]: 'storage' })[METRIC.journalBacklog]).toBe(7);
    expect(find(METRIC.journalRepaired, { [ATTR.port]: 'storage' })[METRIC.journalRepaired]).toBe(3);
    expect(find(METRIC.circuitState, { [ATTR.circuitState]: 'open' })[METRIC.circuitState]).toBe(1);
    expect(find(METRIC.circuitState, { [ATTR.circuitState]: 'closed' })[METRIC.circuitState]).toBe(0);
  });

  it('writes what was recorded once, and the latest states on every publish', () => {
    const cloudwatch = createCloudWatchMetrics({ metrics: metrics() });
    cloudwatch.onEvent(operation('db', 'aws', 'query', 5));
    cloudwatch.onEvent(circuit('db', 'half-open'));
    cloudwatch.publish();
    lines = [];
    cloudwatch.publish();
    expect(documents().map((d) => Object.keys(d).filter((k) => k === METRIC.circuitState))).toHaveLength(3);
    expect(documents().some((d) => d[METRIC.operationDuration] !== undefined)).toBe(false);
  });

  it('writes nothing when nothing was recorded', () => {
    createCloudWatchMetrics({ metrics: metrics() }).publish();
    expect(lines).toEqual([]);
  });

  it('writes a dimension set as soon as it holds the 100 values EMF allows, keeping its dimensions', () => {
    const cloudwatch = createCloudWatchMetrics({ metrics: metrics() });
    for (let i = 0; i < 150; i++) cloudwatch.onEvent(operation('pubsub', 'aws', 'publish', 1));
    expect(documents().map((d) => (d[METRIC.operationDuration] as number[]).length)).toEqual([100]);
    cloudwatch.publish();
    const all = documents();
    expect(all.map((d) => (d[METRIC.operationDuration] as number[]).length)).toEqual([100, 50]);
    for (const document of all) expect(document[ATTR.operation]).toBe('publish');
  });

  it('tags dual-run calls with their role', () => {
    const cloudwatch = createCloudWatchMetrics({ metrics: metrics() });
    const call = dualCall({ port: 'storage', operation: 'put', primaryMs: 2, shadowMs: 3, compositeMs: 3 });
    for (const event of [call.primary, call.shadow!, call.composite]) cloudwatch.onEvent(event);
    cloudwatch.publish();
    expect(
      documents()
        .map((d) => [d[ATTR.dualRole], d[ATTR.provider]])
        .sort(),
    ).toEqual([
      ['composite', 'supabase+aws'],
      ['primary', 'supabase'],
      ['shadow', 'aws'],
    ]);
  });
});
