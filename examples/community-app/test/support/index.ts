// What the match job's and the Next.js example's tests share with the app's (`community-app/test-support`):
// databases with the app's schema, made once per schema and copied.

export { seedLocalDatabase } from './pglite-template.js';
export { createAppDatabase, type TestPostgres } from './postgres-template.js';
