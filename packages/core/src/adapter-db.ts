/**
 * `@switchyard/core/adapter/db`: what a db adapter is built with and nothing else, so its cold start
 * loads only this file and the shared module (bench row 6). `@switchyard/core/adapter` has all of
 * it too, with the other ports'.
 */
export * from './adapter/common.js';
export { type DbDriver, type DbQuerier, dbPort } from './adapter/front/db.js';
export * from './db/claims.js';
export type * from './db/port.js';
export * from './db/rows.js';
export { type CompiledQuery, compile, type SqlFragment, type SqlIdentifier, sql } from './db/sql.js';
export * from './db/sqlstate.js';
export * from './db/supabase-compat.js';
