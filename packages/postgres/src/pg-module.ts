import type pg from 'pg';

let loading: Promise<typeof pg> | undefined;

/** pg, loaded on first use: an app importing this package pays for pg when it opens a database. */
export function loadPg(): Promise<typeof pg> {
  loading ??= import('pg').then((module) => (module as { default?: typeof pg }).default ?? (module as unknown as typeof pg));
  return loading;
}
