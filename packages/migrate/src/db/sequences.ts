import { type DbPort, sql } from '@switchyard/core';
import { listSequences, type SequenceState } from './catalog.js';

/** One target sequence compared with the source's. */
export interface SequenceChange {
  sequence: string;
  source: string | null;
  /** The target's last value before the sync (null: never used, or missing). */
  before: string | null;
  /** What the target was set to; absent when it was already far enough. */
  setTo?: string | undefined;
  /** The target has no such sequence (create the schema there first). */
  missing?: boolean | undefined;
}

export interface SequencesResult {
  changed: SequenceChange[];
  unchanged: SequenceChange[];
  missing: SequenceChange[];
}

const id = (s: Pick<SequenceState, 'schema' | 'name'>) => `${s.schema}.${s.name}`;

/** Sequences of the target whose last value is below the source's (plus `margin`): logical replication never copies them. */
export async function compareSequences(from: DbPort, to: DbPort, schemas: readonly string[], margin = 0): Promise<SequencesResult> {
  const [source, target] = await Promise.all([listSequences(from, schemas), listSequences(to, schemas)]);
  const targets = new Map(target.map((s) => [id(s), s]));
  const result: SequencesResult = { changed: [], unchanged: [], missing: [] };
  for (const seq of source) {
    const other = targets.get(id(seq));
    const change: SequenceChange = { sequence: id(seq), source: seq.lastValue, before: other?.lastValue ?? null };
    if (!other) result.missing.push({ ...change, missing: true });
    else if (seq.lastValue === null) result.unchanged.push(change);
    else {
      const wanted = BigInt(seq.lastValue) + BigInt(margin);
      if (other.lastValue !== null && BigInt(other.lastValue) >= wanted) result.unchanged.push(change);
      else result.changed.push({ ...change, setTo: wanted.toString() });
    }
  }
  return result;
}

/**
 * Sets every target sequence to at least the source's last value plus `margin` (default 1,000, room
 * for the inserts that still happen at the source until it is frozen) and never lowers one, so the
 * new primary's first inserts do not collide with replicated rows. Idempotent.
 */
export async function syncSequences(options: {
  from: DbPort;
  to: DbPort;
  schemas: readonly string[];
  margin?: number;
  dryRun?: boolean;
}): Promise<SequencesResult> {
  const result = await compareSequences(options.from, options.to, options.schemas, options.margin ?? 1000);
  if (options.dryRun) return result;
  for (const change of result.changed) {
    const [schema, ...rest] = change.sequence.split('.');
    // greatest(): an insert at the target since the comparison must not be undone.
    await options.to.query(sql`
      select setval(s.oid, greatest(${change.setTo}::bigint, coalesce(q.last_value, 0)), true)
      from (select (quote_ident(${schema}) || '.' || quote_ident(${rest.join('.')}))::regclass as oid) s
      cross join lateral (select last_value from pg_sequences where schemaname = ${schema} and sequencename = ${rest.join('.')}) q`);
  }
  return result;
}
