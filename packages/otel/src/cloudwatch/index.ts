import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { OnEvent, OperationEvent, SwitchyardEvent } from '@switchyard/core';
import { divergenceKind } from '../kind.js';
import { ATTR, METRIC, OUTCOME } from '../names.js';
import { backlogReadings, circuitReadings, keysetReadings, LatestState, pairAttributes, type Reading } from '../state.js';

// The names, for alarms and dashboards, without loading the OpenTelemetry entry point.
export { ATTR, METRIC } from '../names.js';

type Unit = (typeof MetricUnit)[keyof typeof MetricUnit];

/** One metric under one set of dimension values, waiting for `publish()`. */
interface Pending {
  name: string;
  unit: Unit;
  dimensions: Record<string, string>;
  values: number[];
}

// An EMF metric target holds at most 100 values (the spec's "Target members"); a group that
// reaches it is written at once, which also bounds memory in a long invocation.
const MOST_VALUES = 100;

export interface CloudWatchMetricsOptions {
  /**
   * The Powertools `Metrics` instance to write through, used for Switchyard's metrics alone:
   * `publish()` flushes its whole buffer with Switchyard's dimensions. Default `new Metrics()`,
   * which takes its namespace and service from `POWERTOOLS_METRICS_NAMESPACE` and
   * `POWERTOOLS_SERVICE_NAME`.
   */
  metrics?: Metrics;
}

export interface SwitchyardCloudWatch {
  /** Pass to `createProviders({ onEvent })`. */
  readonly onEvent: OnEvent;
  /**
   * Writes what was recorded since the last call, plus the latest journal backlog, circuit and
   * key set states, as CloudWatch Embedded Metric Format lines on stdout (one per dimension set).
   * Call it before the Lambda handler returns, e.g. in a `finally`.
   */
  publish(): void;
}

function operationDimensions(event: OperationEvent): Record<string, string> {
  const dimensions: Record<string, string> = {
    [ATTR.port]: event.port,
    [ATTR.provider]: event.provider,
    [ATTR.operation]: event.operation,
    [ATTR.outcome]: event.error ? OUTCOME.failure : OUTCOME.success,
  };
  if (event.error) dimensions[ATTR.errorType] = event.error.code;
  if (event.dual) dimensions[ATTR.dualRole] = event.dual.role;
  return dimensions;
}

/**
 * The OpenTelemetry hook's metrics, under the same names and dimensions, as CloudWatch Embedded
 * Metric Format written by `@aws-lambda-powertools/metrics` (for Lambda functions that have no
 * collector). Durations are kept as individual values so CloudWatch can compute percentiles.
 */
export function createCloudWatchMetrics(options: CloudWatchMetricsOptions = {}): SwitchyardCloudWatch {
  const metrics = options.metrics ?? new Metrics();
  const pending = new Map<string, Pending>();
  const latest = new LatestState();

  const write = (name: string, unit: Unit, dimensions: Record<string, string>, values: readonly number[]): void => {
    metrics.addDimensions(dimensions);
    for (const value of values) metrics.addMetric(name, unit, value);
    // Powertools writes a metric by itself when it reaches 100 values; then nothing is left here.
    if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    else metrics.clearDimensions();
  };

  const add = (name: string, unit: Unit, dimensions: Record<string, string>, value: number, sum: boolean): void => {
    const key = `${name}\n${JSON.stringify(dimensions)}`;
    let group = pending.get(key);
    if (!group) {
      group = { name, unit, dimensions, values: [] };
      pending.set(key, group);
    }
    if (sum && group.values.length > 0) group.values[0]! += value;
    else group.values.push(value);
    if (group.values.length >= MOST_VALUES) {
      write(name, unit, dimensions, group.values);
      pending.delete(key);
    }
  };

  const onEvent = (event: SwitchyardEvent): void => {
    switch (event.type) {
      case 'operation':
        add(METRIC.operationDuration, MetricUnit.Seconds, operationDimensions(event), event.durationMs / 1000, false);
        return;
      case 'divergence': {
        const kind = divergenceKind(event);
        const dimensions = { [ATTR.port]: event.port, [ATTR.operation]: event.operation, ...pairAttributes(event) };
        add(METRIC.divergences, MetricUnit.Count, { ...dimensions, [ATTR.divergenceKind]: kind }, 1, true);
        if (kind === 'shadow-failure') {
          add(METRIC.shadowFailures, MetricUnit.Count, { ...dimensions, [ATTR.errorType]: event.error?.code ?? 'UNKNOWN' }, 1, true);
        }
        return;
      }
      case 'repair':
        latest.record(event);
        if (event.repaired > 0) add(METRIC.journalRepaired, MetricUnit.Count, pairAttributes(event), event.repaired, true);
        return;
      default:
        latest.record(event);
    }
  };

  const publish = (): void => {
    for (const group of pending.values()) write(group.name, group.unit, group.dimensions, group.values);
    pending.clear();
    const states: [string, Iterable<Reading>][] = [
      [METRIC.journalBacklog, backlogReadings(latest)],
      [METRIC.circuitState, circuitReadings(latest)],
      [METRIC.keysetState, keysetReadings(latest)],
    ];
    for (const [name, readings] of states) for (const { attributes, value } of readings) write(name, MetricUnit.Count, attributes, [value]);
  };

  return { onEvent, publish };
}
