import type { SqlFragment } from '../db/sql.js';
import { compile } from '../db/sql.js';

// Anything that writes, locks or has side effects, anywhere in the text (CTEs can hide writes).
const WRITES =
  /\b(insert|update|delete|merge|into|lock|for\s+(no\s+key\s+)?update|for\s+(key\s+)?share|nextval|setval|pg_advisory\w*|set_config|call|do|copy|notify|listen|refresh|vacuum|truncate|create|alter|drop|grant|revoke)\b/i;
const READS = /^\s*(select|with|values|table)\b/i;

/**
 * True for statements that are safe to run a second time against the shadow: they start as a read
 * and contain no writing, locking or side-effecting keyword. Deliberately conservative — a read
 * it refuses is merely not compared; a write it accepted would change the shadow database.
 */
export function isReadOnlyQuery(query: SqlFragment): boolean {
  const { text } = compile(query);
  return READS.test(text) && !WRITES.test(text);
}

/** True when the statement fixes the row order, so rows are compared in order rather than as a multiset. */
export function isOrdered(query: SqlFragment): boolean {
  return /\border\s+by\b/i.test(compile(query).text);
}

function canonical(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return Array.from(value).join(',');
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

/** What differs between two result sets, or null when they hold the same rows. Never quotes row data. */
export function rowsDifference(primary: readonly unknown[], shadow: readonly unknown[], ordered: boolean): string | null {
  if (primary.length !== shadow.length) return `${primary.length} rows vs ${shadow.length}`;
  const a = primary.map((row) => JSON.stringify(canonical(row)));
  const b = shadow.map((row) => JSON.stringify(canonical(row)));
  if (!ordered) {
    a.sort();
    b.sort();
  }
  const index = a.findIndex((row, i) => row !== b[i]);
  return index === -1 ? null : `row ${index + 1} of ${a.length} differs`;
}
