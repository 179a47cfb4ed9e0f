import type { DivergenceEvent, DivergenceKind } from '@switchyard/core';

/** The kind of a divergence, or `unspecified` when the composite did not say and it cannot be told. */
export type ReportedKind = DivergenceKind | 'unspecified';

/**
 * `event.kind` when the composite set it. A composite that leaves it out still marks a shadow
 * failure unmistakably: its error is the shadow's own (adapters stamp their provider on every
 * SwitchyardError; the composites stamp the shadow's on timeouts and foreign errors).
 */
export function divergenceKind(event: DivergenceEvent): ReportedKind {
  if (event.kind) return event.kind;
  if (event.error && event.error.provider === event.shadow) return 'shadow-failure';
  return 'unspecified';
}
