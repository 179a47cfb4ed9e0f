/**
 * Row 8 (issue 12): listing a flat folder of 20,000 objects through the Supabase Storage adapter
 * versus storage-js `listV2` by hand (1,000 per page, the server's cursor), both against the real
 * Storage API server. Listing reads only the `storage.objects` table, so the objects are seeded
 * there with SQL (uploading 20,000 would take minutes and measure nothing more).
 */
import { randomBytes } from 'node:crypto';
import { createClient } from '@supabase/supabase-js';
import { createSupabaseStorage } from '@switchyard/supabase/storage';
import pg from 'pg';
import { compare, type Side, scale } from '../lib/measure.js';
import { type Row, throughputRow } from '../lib/row.js';
import { startStoragePeer } from '../peers/supabase-storage.js';

const OBJECTS = 20_000;
const PAGE = 1000;

async function api(peer: { url: string; serviceRoleKey: string }, method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${peer.url}/storage/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${peer.serviceRoleKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
}

function counted(): { fetch: typeof fetch; count: () => number } {
  let requests = 0;
  return {
    fetch: (input, init) => {
      requests++;
      return fetch(input, init);
    },
    count: () => requests,
  };
}

export async function benchSupabaseList(): Promise<Row[]> {
  const peer = await startStoragePeer();
  const bucket = `bench-list-${randomBytes(4).toString('hex')}`;
  const prefix = 'flat/';
  const db = new pg.Client({ connectionString: peer.dbUrl });
  await db.connect();
  try {
    await api(peer, 'POST', '/bucket', { name: bucket });
    await db.query(
      `insert into storage.objects (bucket_id, name, metadata)
       select $1, $2 || lpad(i::text, 6, '0'), jsonb_build_object('size', 1024, 'eTag', '"e"', 'mimetype', 'image/jpeg')
       from generate_series(1, $3::int) as i`,
      [bucket, prefix, OBJECTS],
    );
    const portRequests = counted();
    const storage = await createSupabaseStorage({ url: peer.url, serviceRoleKey: peer.serviceRoleKey, bucket, fetch: portRequests.fetch });
    const files = createClient(peer.url, peer.serviceRoleKey, { auth: { persistSession: false, autoRefreshToken: false } }).storage.from(
      bucket,
    );

    const port: Side = {
      ops: OBJECTS,
      async run() {
        let seen = 0;
        let cursor: string | undefined;
        do {
          const page = await storage.list({ prefix, limit: PAGE, ...(cursor ? { cursor } : {}) });
          seen += page.items.length;
          cursor = page.cursor;
        } while (cursor);
        if (seen !== OBJECTS) throw new Error(`the adapter listed ${seen} of ${OBJECTS} objects`);
      },
    };
    const anchor: Side = {
      ops: OBJECTS,
      async run() {
        let seen = 0;
        let cursor: string | undefined;
        for (;;) {
          const { data, error } = await files.listV2({ prefix, limit: PAGE, ...(cursor ? { cursor } : {}) });
          if (error) throw error;
          seen += data.objects.length;
          if (!data.hasNext) break;
          cursor = data.nextCursor;
        }
        if (seen !== OBJECTS) throw new Error(`listV2 listed ${seen} of ${OBJECTS} objects`);
      },
    };
    const before = portRequests.count();
    await port.run();
    const perListing = portRequests.count() - before;
    const result = await compare(port, anchor, { trials: scale(5, 2) });
    const seconds = (rate: number) => `${(OBJECTS / rate).toFixed(2)} s`;
    return [
      throughputRow(
        {
          id: '8',
          what: `Supabase list ${OBJECTS.toLocaleString('en-US')} objects in one folder vs storage-js listV2 by hand (real Storage API server)`,
          note: `time per full listing; the adapter's first listing sent ${perListing} requests (${OBJECTS / PAGE} pages and its once-per-adapter bucket check); target = within 1.5× the anchor's time`,
        },
        result,
        0.67,
        seconds,
      ),
    ];
  } finally {
    await db.query('delete from storage.objects where bucket_id = $1', [bucket]).catch(() => undefined);
    await db.end();
    await api(peer, 'DELETE', `/bucket/${bucket}`).catch(() => undefined);
    await peer.stop();
  }
}
