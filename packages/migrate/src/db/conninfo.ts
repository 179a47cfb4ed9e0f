import { type PlannedAdapter, SwitchyardError } from '@switchyard/core';
import { type Env, MIGRATE_VARIABLES } from '../model/migration.js';

const quote = (value: string) => `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/**
 * The libpq connection string one database server uses to reach the other for logical replication:
 * `SWITCHYARD_MIGRATE_FROM_CONNINFO` / `_TO_CONNINFO` when set (a server may reach its peer by
 * another address than this machine does), else built from the adapter's own settings.
 */
export function conninfo(spec: PlannedAdapter, side: 'from' | 'to', env: Env): string {
  const variable = side === 'from' ? MIGRATE_VARIABLES.fromConninfo : MIGRATE_VARIABLES.toConninfo;
  const override = env[variable]?.trim();
  if (override) return override;
  const options = spec.options as {
    connectionString?: string;
    host?: string;
    port?: number;
    database?: string;
    user?: string;
    ssl?: boolean;
    auth?: { type: string; password?: string };
  };
  if (options.connectionString) return options.connectionString;
  if (options.host && options.auth?.type === 'password') {
    const parts = {
      host: options.host,
      port: String(options.port ?? 5432),
      dbname: options.database ?? '',
      user: options.user ?? '',
      password: options.auth.password ?? '',
      sslmode: options.ssl === false ? 'disable' : 'require',
    };
    return Object.entries(parts)
      .map(([k, v]) => `${k}=${quote(v)}`)
      .join(' ');
  }
  throw new SwitchyardError({
    code: 'CONFIG',
    port: 'db',
    provider: spec.name,
    operation: 'switchyard db',
    message: `The ${side} database (${spec.name}) has no password to give the other server for replication (IAM or Secrets Manager auth, or the local provider); set ${variable} to a libpq connection string for a user with the REPLICATION privilege.`,
  });
}
