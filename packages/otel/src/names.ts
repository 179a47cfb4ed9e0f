/**
 * Every metric and attribute name this package reports, shared by the OpenTelemetry hook, the
 * CloudWatch metrics and the README. Names follow the OpenTelemetry semantic-convention style
 * (https://opentelemetry.io/docs/specs/semconv/general/naming/): one `switchyard.` namespace,
 * dot-separated lower-case components, units in UCUM (`s`, `{divergence}`) rather than in the
 * name, counters of discrete things pluralised, UpDownCounters not, no `_total`; durations are
 * histograms in seconds like `http.client.request.duration`, and failures carry the stable
 * `error.type` attribute (https://opentelemetry.io/docs/specs/semconv/registry/attributes/error/).
 */

/** Metric names. */
export const METRIC = {
  /** Histogram, `s`: how long each port call took, from call to settle. */
  operationDuration: 'switchyard.operation.duration',
  /** Counter, `{divergence}`: dual-run divergences by port, operation and kind. */
  divergences: 'switchyard.dual.divergences',
  /** Counter, `{failure}`: shadow calls that failed or timed out during dual-run. */
  shadowFailures: 'switchyard.dual.shadow.failures',
  /** UpDownCounter (observed), `{entry}`: the repair journal's backlog as the last repair reported it. */
  journalBacklog: 'switchyard.dual.journal.backlog',
  /** Counter, `{entry}`: journal entries repair runs fixed. */
  journalRepaired: 'switchyard.dual.journal.repaired',
  /** UpDownCounter (observed), `{circuit}`: 1 for the shadow circuit's current state, 0 for the others. */
  circuitState: 'switchyard.dual.circuit.state',
  /** UpDownCounter (observed), `{keyset}`: 1 for an auth key set's current state, 0 for the others. */
  keysetState: 'switchyard.auth.keyset.state',
} as const;

/** Attribute (and CloudWatch dimension) names. */
export const ATTR = {
  /** `storage`, `auth`, `db`, `pubsub`. */
  port: 'switchyard.port',
  /** The adapter's provider (`local`, `aws`, `supabase`, …); `primary+shadow` for a dual-run composite call. */
  provider: 'switchyard.provider',
  /** The port method, e.g. `put`, `admin.createUser`. */
  operation: 'switchyard.operation',
  /** `success` or `failure`. */
  outcome: 'switchyard.outcome',
  /** The SwitchyardError code of a failed call (`NOT_FOUND`, `UNAVAILABLE`, …); absent on success. */
  errorType: 'error.type',
  /** Whether a failed call may succeed if repeated (spans only). */
  retryable: 'switchyard.error.retryable',
  /** On dual-run calls: `composite` (the call the app made), `primary` or `shadow` (a side call it made). */
  dualRole: 'switchyard.dual.role',
  /** The dual-run primary provider. */
  primary: 'switchyard.dual.primary',
  /** The dual-run shadow provider. */
  shadow: 'switchyard.dual.shadow',
  /** A DivergenceKind, or `unspecified` when the composite did not classify it. */
  divergenceKind: 'switchyard.dual.divergence.kind',
  // State attributes are not named like their metrics: EMF puts dimensions and metric values side
  // by side on one JSON object, so equal names collide there.
  /** `closed`, `half-open` or `open`. */
  circuitState: 'switchyard.circuit.state',
  /** `fresh`, `stale` or `unavailable`. */
  keysetState: 'switchyard.keyset.state',
  /** Journal entries a repair run fixed, and those still waiting (repair spans only). */
  repaired: 'switchyard.repair.repaired',
  remaining: 'switchyard.repair.remaining',
} as const;

export const OUTCOME = { success: 'success', failure: 'failure' } as const;

export const CIRCUIT_STATES = ['closed', 'half-open', 'open'] as const;
export const KEYSET_STATES = ['fresh', 'stale', 'unavailable'] as const;

/** The instrumentation scope name given to the tracer and the meter. */
export const SCOPE = '@switchyard/otel';
