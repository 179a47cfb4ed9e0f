import { rdsAdapter } from '@switchyard/aws/adapters';
import { setting } from '@switchyard/core/adapter';
import { supabaseDb as supabaseDbAdapter } from '@switchyard/supabase/adapters';
import { databaseOf, defineTarget } from './definition.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Live tier only: a local PostgreSQL without TLS standing in for RDS (CI); never for a real endpoint. */
const rdsSsl = setting.maybeOneOf('RDS_SSL', ['disable'] as const, {
  description: 'Live tier only: a local PostgreSQL without TLS standing in for RDS; loopback hosts only.',
  example: 'disable',
});

export const awsRds = defineTarget({
  name: 'aws-rds',
  port: 'db',
  descriptor: rdsAdapter,
  live: { rdsSsl },
  notes: { RDS_SSL: 'live tier only, loopback hosts only' },
  adjust(options, { env }) {
    if (rdsSsl.read(env) === undefined) return options;
    if (!LOOPBACK.has(options.host)) {
      env.report('RDS_SSL', `is "disable" for ${options.host}`, 'nothing: only a loopback RDS_HOST may go without TLS');
    }
    return { ...options, ssl: false as const };
  },
  containers: (options) => [
    { variable: 'DATABASE_URL or RDS_DATABASE', kind: 'database', name: options.database, id: `${options.host}/${options.database}` },
  ],
});

export const supabaseDb = defineTarget({
  name: 'supabase-db',
  port: 'db',
  descriptor: supabaseDbAdapter,
  containers: (options) => {
    const where = databaseOf(options.connectionString ?? '') ?? { host: '', database: '' };
    return [{ variable: 'SUPABASE_DB_URL', kind: 'database', name: where.database, id: `${where.host}/${where.database}` }];
  },
});
