// CI for the live tier (`npm run test:live`), which no CI can point at a real account: it starts the
// local real peers, sets them up as a team sets up its account for the tier (test buckets and
// databases named with the prefix, an RDS secret in Secrets Manager), runs the tier on every target
// that has a local peer, and checks that nothing carrying the prefix survives — a passing run, and a
// run whose cases fail after writing. Needs the peers kit (SWITCHYARD_PEERS_DIR), PostgreSQL on
// 127.0.0.1:5432 and Redis on 127.0.0.1:6379, and a build (`npm run test:peers` leaves one).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createS3Storage } from '@switchyard/aws/s3';
import { installSupabaseCompat } from '@switchyard/postgres';
import { createSupabaseStorage } from '@switchyard/supabase/storage';
import { startPeer } from '@switchyard/test-peers/peers';
import { Redis } from 'ioredis';
import pg from 'pg';

const PREFIX = 'switchyard-test-';
const PG_ADMIN = process.env.SWITCHYARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const PG_USER = new URL(PG_ADMIN).username || 'postgres';
const REDIS_URL = process.env.SWITCHYARD_TEST_REDIS ?? 'redis://127.0.0.1:6379';
const run = randomBytes(3).toString('hex');
const names = {
  cephBucket: `${PREFIX}ceph-${run}`,
  supabaseBucket: `${PREFIX}supabase-${run}`,
  rdsDatabase: `${PREFIX}rds-${run}`,
  supabaseDatabase: `${PREFIX}supabase-${run}`,
  secret: `${PREFIX}rds-${run}`,
};
const TARGETS = ['aws-s3', 'supabase-storage', 'aws-rds', 'supabase-db', 'aws-redis'];
/** What has no local peer: a real account can list it, this run cannot. */
const NO_PEER = ['aws-cognito', 'supabase-auth', 'supabase-realtime'];

function need(env, name) {
  if (!env[name]) throw new Error(`a peer printed no ${name}`);
  return env[name];
}

async function admin(fn) {
  const client = new pg.Client({ connectionString: PG_ADMIN });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function databaseUrl(name) {
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return url.toString();
}

function s3Client(env) {
  return new S3Client({
    endpoint: need(env, 'S3_ENDPOINT'),
    region: need(env, 'S3_REGION'),
    forcePathStyle: true,
    credentials: { accessKeyId: need(env, 'S3_ACCESS_KEY_ID'), secretAccessKey: need(env, 'S3_SECRET_ACCESS_KEY') },
  });
}

async function storageApi(env, method, path, body) {
  const response = await fetch(`${need(env, 'SUPABASE_URL')}/storage/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${need(env, 'SUPABASE_SERVICE_ROLE_KEY')}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Storage API ${method} ${path}: ${response.status} ${text}`);
}

/** The account as a team prepares it for the tier: every bucket and database named with the prefix. */
async function prepare(peers) {
  await s3Client(peers['ceph-rgw']).send(new CreateBucketCommand({ Bucket: names.cephBucket }));
  await storageApi(peers['supabase-storage'], 'POST', '/bucket', { id: names.supabaseBucket, name: names.supabaseBucket, public: false });
  for (const name of [names.rdsDatabase, names.supabaseDatabase]) {
    await admin((client) => client.query(`create database "${name}"`));
    await installSupabaseCompat({ connectionString: databaseUrl(name) });
  }
  const secrets = new SecretsManagerClient({
    region: 'us-east-1',
    endpoint: need(peers.moto, 'MOTO_ENDPOINT'),
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await secrets.send(
    new CreateSecretCommand({ Name: names.secret, SecretString: JSON.stringify({ username: PG_USER, password: 'trust-auth-ignores-it' }) }),
  );
  secrets.destroy();
}

/** The variables a team sets for its account, here pointing at the peers. */
function liveEnv(peers) {
  const ceph = peers['ceph-rgw'];
  const supabase = peers['supabase-storage'];
  return {
    SWITCHYARD_LIVE_TARGETS: TARGETS.join(','),
    SWITCHYARD_LIVE_PREFIX: PREFIX,
    // A Redis server's name cannot carry the prefix; this one holds nothing that matters.
    SWITCHYARD_LIVE_ALLOW: `${new URL(REDIS_URL).hostname}:${new URL(REDIS_URL).port || '6379'}`,
    AWS_REGION: 'us-east-1',
    AWS_S3_BUCKET: names.cephBucket,
    AWS_S3_ENDPOINT: need(ceph, 'S3_ENDPOINT'),
    AWS_ACCESS_KEY_ID: need(ceph, 'S3_ACCESS_KEY_ID'),
    AWS_SECRET_ACCESS_KEY: need(ceph, 'S3_SECRET_ACCESS_KEY'),
    // Ceph RGW checks conditions on PutObject only (see packages/aws/test/s3-peers.ts).
    AWS_S3_CONDITIONAL_WRITES: 'put-only',
    SUPABASE_URL: need(supabase, 'SUPABASE_URL'),
    SUPABASE_SERVICE_ROLE_KEY: need(supabase, 'SUPABASE_SERVICE_ROLE_KEY'),
    SUPABASE_STORAGE_BUCKET: names.supabaseBucket,
    SUPABASE_STORAGE_MAX_KEY_SEGMENT_BYTES: '255',
    RDS_HOST: new URL(PG_ADMIN).hostname,
    RDS_PORT: new URL(PG_ADMIN).port || '5432',
    RDS_DATABASE: names.rdsDatabase,
    RDS_USER: PG_USER,
    RDS_AUTH: 'secret',
    RDS_SECRET_ID: names.secret,
    AWS_SECRETS_MANAGER_ENDPOINT: need(peers.moto, 'MOTO_ENDPOINT'),
    RDS_SSL: 'disable',
    SUPABASE_DB_URL: `${databaseUrl(names.supabaseDatabase)}?sslmode=disable`,
    REDIS_URL,
  };
}

function command(args, env) {
  return new Promise((resolve, reject) => {
    let output = '';
    const child = spawn(args[0], args.slice(1), { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk) => {
        output += chunk;
        process.stdout.write(chunk);
      });
    }
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** Everything carrying the prefix that is still on the peers; empty when the tier cleaned up. */
async function leftovers(env) {
  const found = [];
  const s3 = await createS3Storage({
    bucket: env.AWS_S3_BUCKET,
    region: env.AWS_REGION,
    endpoint: env.AWS_S3_ENDPOINT,
    forcePathStyle: true,
    credentials: { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY },
  });
  const supabase = await createSupabaseStorage({
    url: env.SUPABASE_URL,
    serviceRoleKey: env.SUPABASE_SERVICE_ROLE_KEY,
    bucket: env.SUPABASE_STORAGE_BUCKET,
  });
  for (const [label, port] of [
    ['aws-s3', s3],
    ['supabase-storage', supabase],
  ]) {
    const page = await port.list({ prefix: PREFIX });
    found.push(...page.items.map((item) => `${label}: object ${item.key}`));
    await port.close();
  }
  for (const name of [names.rdsDatabase, names.supabaseDatabase]) {
    const client = new pg.Client({ connectionString: databaseUrl(name) });
    await client.connect();
    const { rows } = await client.query('select tablename from pg_tables where starts_with(tablename, $1)', [PREFIX]);
    found.push(...rows.map((row) => `${name}: table ${row.tablename}`));
    await client.end();
  }
  const redis = new Redis(REDIS_URL);
  found.push(...(await redis.keys(`*${PREFIX}*`)).map((key) => `redis: key ${key}`));
  redis.disconnect();
  return found;
}

async function teardown(peers) {
  await Promise.allSettled([
    peers['ceph-rgw'] && s3Client(peers['ceph-rgw']).send(new DeleteBucketCommand({ Bucket: names.cephBucket })),
    peers['supabase-storage'] && storageApi(peers['supabase-storage'], 'DELETE', `/bucket/${names.supabaseBucket}`),
    ...[names.rdsDatabase, names.supabaseDatabase].map((name) =>
      admin(async (client) => {
        await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
        await client.query(`drop database if exists "${name}"`);
      }),
    ),
  ]);
}

async function main() {
  const started = await Promise.allSettled(['supabase-storage', 'ceph-rgw', 'moto'].map((name) => startPeer(name)));
  const running = started.filter((result) => result.status === 'fulfilled').map((result) => result.value);
  const peers = Object.fromEntries(running.map((peer) => [peer.name, peer.env]));
  const problems = [];
  try {
    const failedStart = started.find((result) => result.status === 'rejected');
    if (failedStart) throw failedStart.reason;
    await prepare(peers);
    const env = liveEnv(peers);

    const passing = await command(['npm', 'run', 'test:live'], env);
    if (passing.code !== 0) problems.push(`the live tier failed on the peers (exit ${passing.code})`);
    for (const left of await leftovers(env)) problems.push(`left after the passing run: ${left}`);

    const failing = await command(['npx', 'vitest', 'run', '--config', 'packages/live/test/failing/vitest.config.ts'], env);
    // The fixtures' teardowns removed what the failing cases wrote; the sweep found only the crashed run's.
    for (const target of TARGETS) {
      if (!failing.output.includes(`live tier sweep: ${target}: 1 leftover`))
        problems.push(`${target}: the sweep after the failing run did not find exactly the crashed run's leftover`);
    }
    if (failing.code === 0 || !failing.output.includes('deliberate failure'))
      problems.push('the deliberately failing live run did not fail as planned');
    for (const left of await leftovers(env)) problems.push(`left after the failing run: ${left}`);
  } finally {
    await teardown(peers);
    await Promise.allSettled(running.map((peer) => peer.stop()));
  }
  console.log(
    `\nlive-on-peers: ran aws-s3 (Ceph RGW), supabase-storage (Supabase Storage server), aws-rds (PostgreSQL, password from moto's Secrets Manager), supabase-db (PostgreSQL), aws-redis (Redis)`,
  );
  console.log(`live-on-peers: not run, no local peer: ${NO_PEER.join(', ')}`);
  if (problems.length > 0) {
    console.error(`live-on-peers FAILED:\n- ${problems.join('\n- ')}`);
    process.exit(1);
  }
  console.log('live-on-peers: passed; nothing carrying the prefix was left, after a passing and after a failing run');
}

await main();
