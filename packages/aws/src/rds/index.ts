export type { AuthTokenSigner } from './iam-token.js';
export { createRdsDb, type RdsAuth, type RdsDbDependencies, type RdsDbOptions } from './rds-db.js';
export type { DatabaseSecret, SecretFetcher } from './secret.js';
