import { existsSync } from 'node:fs';
import { notMeasured, perSecond, type Row, ratioText } from '../lib/row.js';

interface Figure {
  rows: { method: string; requestsPerSecond: number }[];
  ratio: number;
}

/**
 * Issue 4's figure, measured by dist/supabase-verify.js (bench/src/supabase-verify.ts, which
 * bundles the fake GoTrue from packages/supabase/test). Loaded at run time by path so the rest
 * of the bench runs even when that script is absent.
 */
export async function benchSupabaseGetUser(): Promise<Row[]> {
  const what =
    'Supabase requests/s authorised by verifyAccessToken (local JWKS) vs supabase-js auth.getUser (HTTP to fake GoTrue on localhost)';
  const script = new URL('./supabase-verify.js', import.meta.url);
  if (!existsSync(script)) return [notMeasured('i4', what, 'bench/src/supabase-verify.ts is not there to build')];
  const module = (await import(script.href)) as { benchSupabaseVerify?: () => Promise<Figure> };
  if (typeof module.benchSupabaseVerify !== 'function')
    return [notMeasured('i4', what, 'supabase-verify.js exports no benchSupabaseVerify')];
  const figure = await module.benchSupabaseVerify();
  const [local, remote] = figure.rows;
  return [
    {
      id: 'i4',
      what,
      port: perSecond(local!.requestsPerSecond),
      anchor: perSecond(remote!.requestsPerSecond),
      ratio: ratioText(figure.ratio),
      target: 'informational (higher is better)',
      met: 'n/a',
      note: 'measured by supabase-verify.ts: 16 in flight, 5 trials (not interleaved: all local then all HTTP per trial); localhost has no network latency, so a real deployment widens the gap',
    },
  ];
}
