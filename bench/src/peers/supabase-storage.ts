import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface StoragePeer {
  url: string;
  serviceRoleKey: string;
  /** The server's own PostgreSQL (`storage` schema). */
  dbUrl: string;
  stop(): Promise<void>;
}

/**
 * The real Supabase Storage API server: the one `SUPABASE_URL`, `SUPABASE_SERVICE_ROLE_KEY` and
 * `SUPABASE_STORAGE_DB_URL` describe (as `eval "$(up.sh DIR)"` sets them), else one started from the
 * peers kit (`SWITCHYARD_PEERS_DIR`) the way the test tier starts it, and stopped afterwards. Its
 * state folder is the bench's own unless `SWITCHYARD_PEERS_STATE` says otherwise, so stopping it
 * never stops a server a test run is using; the first run installs the server (about a minute).
 */
export async function startStoragePeer(): Promise<StoragePeer> {
  const { SUPABASE_URL, SUPABASE_SERVICE_ROLE_KEY, SUPABASE_STORAGE_DB_URL } = process.env;
  if (SUPABASE_URL && SUPABASE_SERVICE_ROLE_KEY && SUPABASE_STORAGE_DB_URL) {
    return { url: SUPABASE_URL, serviceRoleKey: SUPABASE_SERVICE_ROLE_KEY, dbUrl: SUPABASE_STORAGE_DB_URL, stop: async () => {} };
  }
  process.env.SWITCHYARD_PEERS_STATE ??= join(tmpdir(), 'switchyard-bench-peers');
  const { startPeer } = await import('@switchyard/test-peers/peers');
  const peer = await startPeer('supabase-storage');
  const need = (name: string) => {
    const value = peer.env[name];
    if (!value) throw new Error(`the supabase-storage peer printed no ${name}`);
    return value;
  };
  return {
    url: need('SUPABASE_URL'),
    serviceRoleKey: need('SUPABASE_SERVICE_ROLE_KEY'),
    dbUrl: need('SUPABASE_STORAGE_DB_URL'),
    stop: peer.stop,
  };
}
