import type { Attributes } from '@opentelemetry/api';
import type { DataPoint, MetricData } from '@opentelemetry/sdk-metrics';
import { AggregationTemporality, InMemoryMetricExporter, MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** An SDK with in-memory exporters: what the hook reported, read back the way an exporter sees it. */
export class Telemetry {
  readonly spanExporter = new InMemorySpanExporter();
  readonly tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(this.spanExporter)] });
  readonly metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  // The interval never fires within a test: `metrics()` collects explicitly.
  private readonly reader = new PeriodicExportingMetricReader({ exporter: this.metricExporter, exportIntervalMillis: 3_600_000 });
  readonly meterProvider = new MeterProvider({ readers: [this.reader] });

  spans(): ReadableSpan[] {
    return this.spanExporter.getFinishedSpans();
  }

  /** Every metric collected now, by name (the last export holds the cumulative values). */
  async metrics(): Promise<Map<string, MetricData>> {
    await this.reader.forceFlush();
    const last = this.metricExporter.getMetrics().at(-1);
    const found = new Map<string, MetricData>();
    for (const scope of last?.scopeMetrics ?? []) for (const metric of scope.metrics) found.set(metric.descriptor.name, metric);
    return found;
  }

  async close(): Promise<void> {
    await Promise.all([this.tracerProvider.shutdown(), this.meterProvider.shutdown()]);
  }
}

/** The data point of `metric` whose attributes are exactly `attributes`. */
export function point<T>(metric: MetricData | undefined, attributes: Attributes): DataPoint<T> | undefined {
  const points = (metric?.dataPoints ?? []) as DataPoint<T>[];
  return points.find((p) => sameAttributes(p.attributes, attributes));
}

function sameAttributes(a: Attributes, b: Attributes): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** A span's start and end in epoch milliseconds. */
export function times(span: ReadableSpan): { start: number; end: number } {
  const ms = ([seconds, nanos]: [number, number]) => seconds * 1000 + nanos / 1e6;
  return { start: ms(span.startTime), end: ms(span.endTime) };
}
