/**
 * Figure: requests per second authorised through the Supabase auth adapter's local
 * `verifyAccessToken` (cached JWKS, no request) versus supabase-js `auth.getUser(token)` (one HTTP
 * call to Auth per request), both against the fake GoTrue on localhost, in the same run.
 * Localhost has no network latency, so the real-world gap is larger than this ratio.
 */
import { pathToFileURL } from 'node:url';
import { createClient } from '@supabase/supabase-js';
import { createSupabaseAuth } from '@switchyard/supabase/auth';
import { startFakeGoTrue } from '@switchyard/test-peers/supabase';

const TRIALS = 5;
const CONCURRENCY = 16;
const LOCAL_REQUESTS = 20_000;
const REMOTE_REQUESTS = 2_000;

export interface SupabaseVerifyRow {
  method: 'verifyAccessToken (local JWKS)' | 'auth.getUser (HTTP)';
  requestsPerSecond: number;
  trials: number[];
}

async function rate(requests: number, call: () => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next++ < requests) await call();
    }),
  );
  return requests / ((performance.now() - started) / 1000);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Runs the comparison and returns one row per method (median of the trials) plus the ratio. */
export async function benchSupabaseVerify(): Promise<{ rows: SupabaseVerifyRow[]; ratio: number }> {
  const keys = { anonKey: 'bench-anon', serviceRoleKey: 'bench-service' };
  const fake = await startFakeGoTrue({ ...keys, emailFrequencySeconds: 0 });
  try {
    const auth = await createSupabaseAuth({ url: fake.url, ...keys });
    await auth.sendSignInEmail('bench@example.com');
    const session = await auth.verifySignIn({ email: 'bench@example.com', code: fake.lastEmail('bench@example.com')!.code });
    const supabase = createClient(fake.url, keys.anonKey, { auth: { persistSession: false, autoRefreshToken: false } });
    const token = session.accessToken;
    const getUser = async () => {
      const { data, error } = await supabase.auth.getUser(token);
      if (error || !data.user) throw error ?? new Error('getUser returned no user');
    };
    // Warm both paths (key set fetched, sockets open, code compiled) before measuring.
    await auth.verifyAccessToken(token);
    await getUser();
    const local: number[] = [];
    const remote: number[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      local.push(await rate(LOCAL_REQUESTS, () => auth.verifyAccessToken(token)));
      remote.push(await rate(REMOTE_REQUESTS, getUser));
    }
    const rows: SupabaseVerifyRow[] = [
      { method: 'verifyAccessToken (local JWKS)', requestsPerSecond: median(local), trials: local },
      { method: 'auth.getUser (HTTP)', requestsPerSecond: median(remote), trials: remote },
    ];
    return { rows, ratio: rows[0]!.requestsPerSecond / rows[1]!.requestsPerSecond };
  } finally {
    await fake.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { rows, ratio } = await benchSupabaseVerify();
  console.log(`Supabase access-token authorisation, median of ${TRIALS} trials, concurrency ${CONCURRENCY}, fake GoTrue on localhost`);
  for (const row of rows)
    console.log(`  ${row.method.padEnd(32)} ${Math.round(row.requestsPerSecond).toLocaleString('en-US').padStart(10)} req/s`);
  console.log(`  local / HTTP ratio: ${ratio.toFixed(1)}x`);
}
