import { installSupabaseCompat } from '@switchyard/postgres';
import { createTestDatabase } from '@switchyard/test-peers/postgres';
import pg from 'pg';

const MESSAGES = `create table messages (
  id text primary key,
  room text not null,
  author_id text not null,
  body text not null,
  sent_at timestamptz not null default now()
)`;

export interface DrillDatabases {
  /** SUPABASE_DB_URL: bootstrapped like a Supabase database (roles, auth.uid()). */
  supabaseUrl: string;
  /** DATABASE_URL: the RDS side. */
  rdsUrl: string;
  /**
   * Copies the messages table from Supabase to RDS: what logical replication does in a real
   * migration (see replicateMessages).
   */
  replicateMessages(): Promise<number>;
  drop(): Promise<void>;
}

async function withClient<T>(connectionString: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Two fresh databases on the machine's PostgreSQL, each with the app's `messages` table (the migration creates the schema on both). */
export async function createDrillDatabases(): Promise<DrillDatabases> {
  // Both bootstrapped like a Supabase database; sslmode=disable: the local server has no TLS.
  const options = { prepare: installSupabaseCompat, searchParams: { sslmode: 'disable' } };
  const supabase = await createTestDatabase({ prefix: 'sy_supabase_', ...options });
  const rds = await createTestDatabase(options);
  const rdsUrl = rds.connectionString;
  await withClient(supabase.connectionString, (c) => c.query(MESSAGES));
  await withClient(rdsUrl, (c) => c.query(MESSAGES));
  return {
    supabaseUrl: supabase.connectionString,
    rdsUrl,
    // The runbook keeps RDS in step with logical replication (a publication on Supabase, a
    // subscription on RDS). This server runs with wal_level=replica and cannot be switched to
    // `logical` without a restart, so the drill stands in for replication with this one-shot
    // copy, run while writes are paused at the phase 2 → 3 switch ("let replication catch up").
    replicateMessages: async () => {
      const { rows } = await withClient(supabase.connectionString, (c) =>
        c.query<{ id: string; room: string; author_id: string; body: string; sent_at: Date }>('select * from messages'),
      );
      await withClient(rdsUrl, async (c) => {
        for (const row of rows) {
          await c.query(
            'insert into messages (id, room, author_id, body, sent_at) values ($1, $2, $3, $4, $5) on conflict (id) do nothing',
            [row.id, row.room, row.author_id, row.body, row.sent_at],
          );
        }
      });
      return rows.length;
    },
    drop: async () => {
      await Promise.allSettled([supabase.drop(), rds.drop()]);
    },
  };
}
