import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { median, scale } from '../lib/measure.js';
import { ms, type Row, ratioText } from '../lib/row.js';

const run = promisify(execFile);
// Children resolve packages from bench/, as an app depending on them would.
const BENCH_DIR = fileURLToPath(new URL('..', import.meta.url));

interface Case {
  what: string;
  /** Module body run in a fresh `node`; what it does between the two clock reads is timed. */
  port: string;
  anchor: string | undefined;
  anchorLabel: string;
}

const imports = (...specifiers: string[]) => `await Promise.all([${specifiers.map((s) => `import('${s}')`).join(', ')}]);`;
const CREDS = "{ accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' }";
const SUPABASE_URL = "'http://127.0.0.1:54321'";
// What an app without Switchyard creates on a server: one client, no session persistence.
const SUPABASE_CLIENT =
  "m.createClient('http://127.0.0.1:54321', 'k', { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } });";
const PG_URL = "'postgres://app:p@127.0.0.1:5432/app'";
// The bundle @switchyard/aws ships, as an app without it would read it from a file.
const RDS_CA = JSON.stringify(
  join(dirname(createRequire(join(BENCH_DIR, 'package.json')).resolve('@switchyard/aws/package.json')), 'certs/rds-ca-bundle.pem'),
);

const CASES: Case[] = [
  { what: 'import @switchyard/core', port: imports('@switchyard/core'), anchor: undefined, anchorLabel: '—' },
  {
    what: 'import @switchyard/aws/s3',
    port: imports('@switchyard/aws/s3'),
    anchor: imports('@aws-sdk/client-s3'),
    anchorLabel: 'import @aws-sdk/client-s3',
  },
  {
    what: 'import @switchyard/aws/s3 + createS3Storage (loads its SDK clients; no I/O)',
    port: `const m = await import('@switchyard/aws/s3'); await m.createS3Storage({ bucket: 'bench', region: 'us-east-1', credentials: ${CREDS} });`,
    anchor: `const m = await import('@aws-sdk/client-s3'); new m.S3Client({ region: 'us-east-1', credentials: ${CREDS} });`,
    anchorLabel: 'import client-s3 + new S3Client',
  },
  {
    what: 'import @switchyard/aws/cognito',
    port: imports('@switchyard/aws/cognito'),
    anchor: imports('@aws-sdk/client-cognito-identity-provider'),
    anchorLabel: 'import client-cognito-identity-provider',
  },
  {
    what: 'import @switchyard/aws/cognito + createCognitoAuth (no I/O)',
    port: `const m = await import('@switchyard/aws/cognito'); await m.createCognitoAuth({ region: 'us-east-1', userPoolId: 'us-east-1_bench', clientId: 'c', credentials: ${CREDS}, signIn: 'email-otp' });`,
    anchor: `const [c, v] = await Promise.all([import('@aws-sdk/client-cognito-identity-provider'), import('aws-jwt-verify')]); new c.CognitoIdentityProviderClient({ region: 'us-east-1', credentials: ${CREDS} }); v.CognitoJwtVerifier.create({ userPoolId: 'us-east-1_bench', tokenUse: 'access', clientId: 'c' });`,
    anchorLabel: 'import client-cognito + aws-jwt-verify, construct both',
  },
  { what: 'import @switchyard/aws/rds', port: imports('@switchyard/aws/rds'), anchor: imports('pg'), anchorLabel: 'import pg' },
  {
    what: 'import @switchyard/aws/redis',
    port: imports('@switchyard/aws/redis'),
    anchor: imports('ioredis'),
    anchorLabel: 'import ioredis',
  },
  {
    what: 'import @switchyard/aws/redis + createRedisPubSub (loads ioredis)',
    port: "const m = await import('@switchyard/aws/redis'); await m.createRedisPubSub({ url: 'redis://127.0.0.1:6379' });",
    anchor: "const m = await import('ioredis'); new m.Redis('redis://127.0.0.1:6379');",
    anchorLabel: 'import ioredis + new Redis',
  },
  ...['storage', 'auth', 'realtime'].map((sub) => ({
    what: `import @switchyard/supabase/${sub}`,
    port: imports(`@switchyard/supabase/${sub}`),
    anchor: imports('@supabase/supabase-js'),
    anchorLabel: 'import @supabase/supabase-js',
  })),
  { what: 'import @switchyard/supabase/db', port: imports('@switchyard/supabase/db'), anchor: imports('pg'), anchorLabel: 'import pg' },
  ...(
    [
      ['storage', `await m.createSupabaseStorage({ url: ${SUPABASE_URL}, serviceRoleKey: 'k', bucket: 'bench' });`],
      ['auth', `await m.createSupabaseAuth({ url: ${SUPABASE_URL}, anonKey: 'k', serviceRoleKey: 's' });`],
      ['realtime', `await m.createSupabaseRealtime({ url: ${SUPABASE_URL}, key: 'k' });`],
    ] as const
  ).map(([sub, create]) => ({
    what: `import @switchyard/supabase/${sub} + its factory (loads supabase-js where it uses it; no I/O)`,
    port: `const m = await import('@switchyard/supabase/${sub}'); ${create}`,
    anchor: `const m = await import('@supabase/supabase-js'); ${SUPABASE_CLIENT}`,
    anchorLabel: 'import supabase-js + createClient',
  })),
  {
    what: 'import @switchyard/supabase/db + createSupabaseDb (loads pg; no I/O)',
    port: `const m = await import('@switchyard/supabase/db'); await m.createSupabaseDb({ connectionString: ${PG_URL} });`,
    anchor: `const m = await import('pg'); new m.default.Pool({ connectionString: ${PG_URL} });`,
    anchorLabel: 'import pg + new Pool',
  },
  {
    what: 'import @switchyard/aws/rds + createRdsDb (loads @switchyard/postgres and pg; RDS CA bundle; no I/O)',
    port: `const m = await import('@switchyard/aws/rds'); await m.createRdsDb({ host: 'db.bench', database: 'app', user: 'app', auth: { type: 'password', password: 'p' } });`,
    anchor: `const [m, fs] = await Promise.all([import('pg'), import('node:fs')]); new m.default.Pool({ host: 'db.bench', database: 'app', user: 'app', password: 'p', ssl: { ca: fs.readFileSync(${RDS_CA}, 'utf8') } });`,
    anchorLabel: 'import pg + new Pool with the RDS CA bundle read from its file',
  },
  {
    what: 'import @switchyard/local',
    port: imports('@switchyard/local'),
    anchor: imports('@electric-sql/pglite', 'jose'),
    anchorLabel: 'import @electric-sql/pglite + jose',
  },
];

/** Milliseconds `body` takes in a fresh node process (after node itself has started). */
async function spawnTimed(body: string): Promise<number> {
  const script = `const t0 = performance.now(); ${body} console.log(performance.now() - t0); process.exit(0);`;
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], { cwd: BENCH_DIR, timeout: 60_000 });
  return Number(stdout.trim().split('\n').pop());
}

/** Row 6: cold start of each subpath vs the raw client, median over alternating fresh processes. */
export async function benchColdStart(): Promise<Row[]> {
  // Single spawns vary by ±10 %; the median of 9 alternating pairs holds still to about ±3 %.
  const spawns = scale(9, 2);
  const rows: Row[] = [];
  for (const item of CASES) {
    try {
      rows.push(await measureCase(item, spawns));
    } catch (error) {
      const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
      rows.push({ id: '6', what: item.what, port: `not measured: ${reason}`, anchor: '—', ratio: '—', target: '—', met: 'n/a' });
    }
  }
  return rows;
}

/** Times `first`, then `second`, each in its own fresh process. */
async function inOrder(first: string, second: string): Promise<[number, number]> {
  const a = await spawnTimed(first);
  return [a, await spawnTimed(second)];
}

async function measureCase(item: Case, spawns: number): Promise<Row> {
  const { anchor: anchorBody } = item;
  // One untimed spawn of each warms the OS file cache, as a deployed process would find it.
  await spawnTimed(item.port);
  if (!anchorBody) {
    const port: number[] = [];
    for (let i = 0; i < spawns; i++) port.push(await spawnTimed(item.port));
    return { id: '6', what: item.what, port: ms(median(port)), anchor: '—', ratio: '—', target: 'informational', met: 'n/a' };
  }
  await spawnTimed(anchorBody);
  const port: number[] = [];
  const anchor: number[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < spawns; i++) {
    // The order flips every trial, as in the other rows: neither side always runs second.
    const [p, a] =
      i % 2 === 0 ? await inOrder(item.port, anchorBody) : ((await inOrder(anchorBody, item.port)).reverse() as [number, number]);
    port.push(p);
    anchor.push(a);
    ratios.push(p / a);
  }
  const ratio = median(ratios);
  return {
    id: '6',
    what: `${item.what} vs ${item.anchorLabel} (ratio = port time ÷ anchor time, lower is better)`,
    port: ms(median(port)),
    anchor: ms(median(anchor)),
    ratio: ratioText(ratio),
    target: '≤ 1.10',
    met: ratio <= 1.1 ? 'yes' : 'NO',
  };
}
