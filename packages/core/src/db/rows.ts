import { SwitchyardError } from '../errors.js';
import type { QueryResult } from './port.js';

/** `one`/`maybeOne` semantics, shared by every DbPort. */
export function singleRow<Row>(result: QueryResult<Row>, required: boolean, context: { provider: string; operation: string }): Row | null {
  if (result.rows.length > 1) {
    throw new SwitchyardError({
      code: 'INVALID_INPUT',
      port: 'db',
      ...context,
      message: `Expected at most one row but the query returned ${result.rows.length}; add a unique condition or LIMIT 1.`,
    });
  }
  const row = result.rows[0];
  if (row === undefined) {
    if (!required) return null;
    throw new SwitchyardError({ code: 'NOT_FOUND', port: 'db', ...context, message: 'Expected one row but the query returned none.' });
  }
  return row;
}
