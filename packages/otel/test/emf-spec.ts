import { expect } from 'vitest';

// CloudWatch Embedded Metric Format, "Specification: Embedded metric format"
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html):
// the root holds `_aws` with an integer `Timestamp` (ms since the epoch) and `CloudWatchMetrics`, an
// array of MetricDirectives, each with `Namespace`, `Dimensions` (DimensionSets: arrays of dimension
// keys) and `Metrics` (at most 100 MetricDefinitions with `Name` and an optional `Unit` among
// CloudWatch's units). Every referenced key is a root member ("target member", never nested): a
// string for a dimension, a number or an array of at most 100 numbers for a metric. The document
// is a single JSON object with nothing before or after it. The published JSON schema bounds a
// DimensionSet to 9 keys (newer text: 30) and Namespace, keys and names to 1–255 characters.
const UNITS =
  /^(Seconds|Microseconds|Milliseconds|Bytes|Kilobytes|Megabytes|Gigabytes|Terabytes|Bits|Kilobits|Megabits|Gigabits|Terabits|Percent|Count|Bytes\/Second|Kilobytes\/Second|Megabytes\/Second|Gigabytes\/Second|Terabytes\/Second|Bits\/Second|Kilobits\/Second|Megabits\/Second|Gigabits\/Second|Terabits\/Second|Count\/Second|None)$/;

export interface EmfDocument {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit?: string }[] }[];
  };
  [member: string]: unknown;
}

function name(value: unknown): void {
  expect(typeof value).toBe('string');
  expect((value as string).length).toBeGreaterThanOrEqual(1);
  expect((value as string).length).toBeLessThanOrEqual(255);
}

/** Parses one log line and asserts every requirement above; returns the document. */
export function parseEmf(line: string): EmfDocument {
  const document = JSON.parse(line) as EmfDocument;
  expect(line.trim().startsWith('{') && line.trim().endsWith('}')).toBe(true);
  const { _aws: metadata } = document;
  expect(metadata).toBeTypeOf('object');
  expect(Number.isInteger(metadata.Timestamp)).toBe(true);
  expect(Math.abs(metadata.Timestamp - Date.now())).toBeLessThan(60_000);
  expect(Array.isArray(metadata.CloudWatchMetrics) && metadata.CloudWatchMetrics.length > 0).toBe(true);
  for (const directive of metadata.CloudWatchMetrics) {
    name(directive.Namespace);
    expect(Array.isArray(directive.Dimensions) && directive.Dimensions.length > 0).toBe(true);
    for (const set of directive.Dimensions) {
      expect(set.length).toBeLessThanOrEqual(9);
      for (const key of set) {
        name(key);
        expect(typeof document[key], `dimension ${key} must be a root string member`).toBe('string');
        expect(document[key]).toMatch(/^[\x20-\x7e]+$/);
      }
    }
    expect(directive.Metrics.length).toBeGreaterThan(0);
    expect(directive.Metrics.length).toBeLessThanOrEqual(100);
    for (const metric of directive.Metrics) {
      name(metric.Name);
      if (metric.Unit !== undefined) expect(metric.Unit).toMatch(UNITS);
      const target = document[metric.Name];
      const values = Array.isArray(target) ? target : [target];
      expect(values.length).toBeLessThanOrEqual(100);
      for (const value of values) expect(Number.isFinite(value), `metric ${metric.Name} must be numeric`).toBe(true);
    }
  }
  return document;
}
