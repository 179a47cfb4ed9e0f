import type { Attributes } from '@opentelemetry/api';
import type { OperationEvent } from '@switchyard/core';
import { ATTR, OUTCOME } from './names.js';

/** The span name and the attributes shared by an operation's span and its duration measurement. */
export interface OperationShape {
  name: string;
  attributes: Attributes;
}

// Distinct shapes are ports × providers × methods × roles × error codes: a few hundred at most.
// The bound only keeps an adapter with made-up method names from growing the cache forever.
const MOST_SHAPES = 4096;

/**
 * Builds each distinct shape once. The hot path then costs one string key and one Map lookup, and
 * the SDK receives the same frozen attribute object every time.
 */
export class OperationShapes {
  private readonly cache = new Map<string, OperationShape>();

  of(event: OperationEvent): OperationShape {
    const role = event.dual?.role;
    const code = event.error?.code;
    const key = `${event.port}\n${event.provider}\n${event.operation}\n${role ?? ''}\n${code ?? ''}`;
    let shape = this.cache.get(key);
    if (shape === undefined) {
      shape = build(event, role, code);
      if (this.cache.size < MOST_SHAPES) this.cache.set(key, shape);
    }
    return shape;
  }
}

function build(event: OperationEvent, role: string | undefined, code: string | undefined): OperationShape {
  const attributes: Attributes = {
    [ATTR.port]: event.port,
    [ATTR.provider]: event.provider,
    [ATTR.operation]: event.operation,
    [ATTR.outcome]: code === undefined ? OUTCOME.success : OUTCOME.failure,
  };
  if (code !== undefined) attributes[ATTR.errorType] = code;
  if (role !== undefined) attributes[ATTR.dualRole] = role;
  // Semantic conventions ask for a low-cardinality span name: `{operation} {target}` style.
  return { name: `${event.port} ${event.operation}`, attributes: Object.freeze(attributes) };
}
