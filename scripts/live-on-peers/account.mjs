// The local real peers set up as a team sets up its account for the live tier: test buckets and
// databases named with the prefix, the Supabase compatibility SQL, an RDS secret in Secrets Manager.
import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { installSupabaseCompat } from '@switchyard/postgres';
import { Redis } from 'ioredis';
import pg from 'pg';
import { cognitoUsers } from './cognito-peer.mjs';

export { startCognito } from './cognito-peer.mjs';

export const PREFIX = 'switchyard-test-';
const PG_ADMIN = new URL(process.env.SWITCHYARD_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres');
const PG_USER = PG_ADMIN.username || 'postgres';
export const REDIS_URL = process.env.SWITCHYARD_TEST_REDIS ?? 'redis://127.0.0.1:6379';

const id = randomBytes(3).toString('hex');
export const names = {
  cephBucket: `${PREFIX}ceph-${id}`,
  supabaseBucket: `${PREFIX}supabase-${id}`,
  supabaseS3Bucket: `${PREFIX}supabase-s3-${id}`,
  /** A bucket without the prefix, standing for production: the tier must refuse it untouched. */
  productionBucket: `production-${id}`,
  rdsDatabase: `${PREFIX}rds-${id}`,
  supabaseDatabase: `${PREFIX}supabase-${id}`,
  secret: `${PREFIX}rds-${id}`,
};

function need(env, name) {
  if (!env?.[name]) throw new Error(`a peer printed no ${name}`);
  return env[name];
}

/** Client settings of an S3 endpoint: `ceph` is Ceph RGW, `supabase` the Storage server's S3 protocol. */
export function s3Settings(peers, which) {
  const env = which === 'ceph' ? peers['ceph-rgw'] : peers['supabase-storage'];
  const p = which === 'ceph' ? 'S3_' : 'SUPABASE_STORAGE_S3_';
  return {
    endpoint: need(env, `${p}ENDPOINT`),
    region: need(env, `${p}REGION`),
    accessKeyId: need(env, `${p}ACCESS_KEY_ID`),
    secretAccessKey: need(env, `${p}SECRET_ACCESS_KEY`),
  };
}

export function s3Client({ endpoint, region, accessKeyId, secretAccessKey }) {
  return new S3Client({ endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } });
}

export async function storageApi(peers, method, path, body) {
  const env = peers['supabase-storage'];
  const response = await fetch(`${need(env, 'SUPABASE_URL')}/storage/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${need(env, 'SUPABASE_SERVICE_ROLE_KEY')}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`Storage API ${method} ${path}: ${response.status} ${text}`);
}

async function admin(fn) {
  const client = new pg.Client({ connectionString: PG_ADMIN.toString() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function databaseUrl(name) {
  const url = new URL(PG_ADMIN);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function prepare(peers) {
  const ceph = s3Client(s3Settings(peers, 'ceph'));
  for (const bucket of [names.cephBucket, names.productionBucket]) await ceph.send(new CreateBucketCommand({ Bucket: bucket }));
  for (const bucket of [names.supabaseBucket, names.supabaseS3Bucket]) {
    await storageApi(peers, 'POST', '/bucket', { id: bucket, name: bucket, public: false });
  }
  for (const name of [names.rdsDatabase, names.supabaseDatabase]) {
    await admin((client) => client.query(`create database "${name}"`));
    await installSupabaseCompat({ connectionString: databaseUrl(name) });
  }
  const secrets = new SecretsManagerClient({
    region: s3Settings(peers, 'ceph').region,
    endpoint: need(peers.moto, 'MOTO_ENDPOINT'),
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  // The machine's PostgreSQL trusts local connections: the password is carried, not checked.
  const secret = JSON.stringify({ username: PG_USER, password: 'unchecked-by-trust-auth' });
  await secrets.send(new CreateSecretCommand({ Name: names.secret, SecretString: secret }));
  secrets.destroy();
}

/** The variables a team sets for its account, pointing at the peers: every target with a local peer. */
export function accountEnv(peers) {
  const ceph = s3Settings(peers, 'ceph');
  const redis = new URL(REDIS_URL);
  return {
    SWITCHYARD_LIVE_TARGETS: 'aws-s3,supabase-storage,aws-cognito,aws-rds,supabase-db,aws-redis',
    SWITCHYARD_LIVE_PREFIX: PREFIX,
    // Neither a Redis server's name nor a user pool id can carry the prefix; these hold nothing that matters.
    SWITCHYARD_LIVE_ALLOW: `${redis.hostname}:${redis.port || '6379'},${need(peers.cognito, 'COGNITO_USER_POOL_ID')}`,
    AWS_REGION: ceph.region,
    AWS_S3_BUCKET: names.cephBucket,
    AWS_S3_ENDPOINT: ceph.endpoint,
    AWS_ACCESS_KEY_ID: ceph.accessKeyId,
    AWS_SECRET_ACCESS_KEY: ceph.secretAccessKey,
    // Ceph RGW checks conditions on PutObject only (packages/aws/test/s3-peers.ts).
    AWS_S3_CONDITIONAL_WRITES: 'put-only',
    COGNITO_USER_POOL_ID: need(peers.cognito, 'COGNITO_USER_POOL_ID'),
    COGNITO_CLIENT_ID: need(peers.cognito, 'COGNITO_CLIENT_ID'),
    COGNITO_ENDPOINT: need(peers.cognito, 'COGNITO_ENDPOINT'),
    SUPABASE_URL: need(peers['supabase-storage'], 'SUPABASE_URL'),
    SUPABASE_SERVICE_ROLE_KEY: need(peers['supabase-storage'], 'SUPABASE_SERVICE_ROLE_KEY'),
    SUPABASE_STORAGE_BUCKET: names.supabaseBucket,
    SUPABASE_STORAGE_MAX_KEY_SEGMENT_BYTES: '255',
    RDS_HOST: PG_ADMIN.hostname,
    RDS_PORT: PG_ADMIN.port || '5432',
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

/** aws-s3 on the Storage server's S3 protocol, described by its limits (packages/aws/test/s3-peers.ts). */
export function supabaseS3Env(peers) {
  const s3 = s3Settings(peers, 'supabase');
  return {
    SWITCHYARD_LIVE_TARGETS: 'aws-s3',
    SWITCHYARD_LIVE_PREFIX: PREFIX,
    AWS_REGION: s3.region,
    AWS_S3_BUCKET: names.supabaseS3Bucket,
    AWS_S3_ENDPOINT: s3.endpoint,
    AWS_ACCESS_KEY_ID: s3.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
    AWS_S3_POST_POLICY: 'except-size',
    AWS_S3_CONDITIONAL_WRITES: 'not-enforced',
    AWS_S3_KEY_CHARACTERS: "A-Za-z0-9_/!.*'()-",
    AWS_S3_MAX_KEY_SEGMENT_BYTES: '255',
  };
}

async function keys(client, bucket, prefix = '') {
  const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (page.Contents ?? []).map((item) => item.Key);
}

/** Puts one object into the production bucket; `productionObjects` must still find it. */
export async function seedProduction(peers) {
  await s3Client(s3Settings(peers, 'ceph')).send(
    new PutObjectCommand({ Bucket: names.productionBucket, Key: 'orders/2026.csv', Body: 'precious' }),
  );
}

export async function productionObjects(peers) {
  return keys(s3Client(s3Settings(peers, 'ceph')), names.productionBucket);
}

/** Everything carrying the prefix still on the peers; empty when the tier cleaned up after itself. */
export async function leftovers(peers) {
  const found = [];
  const buckets = [
    [s3Client(s3Settings(peers, 'ceph')), names.cephBucket],
    [s3Client(s3Settings(peers, 'supabase')), names.supabaseBucket],
    [s3Client(s3Settings(peers, 'supabase')), names.supabaseS3Bucket],
  ];
  for (const [client, bucket] of buckets) found.push(...(await keys(client, bucket, PREFIX)).map((key) => `${bucket}: object ${key}`));
  for (const name of [names.rdsDatabase, names.supabaseDatabase]) {
    const client = new pg.Client({ connectionString: databaseUrl(name) });
    await client.connect();
    const { rows } = await client.query('select tablename from pg_tables where starts_with(tablename, $1)', [PREFIX]);
    found.push(...rows.map((row) => `${name}: table ${row.tablename}`));
    await client.end();
  }
  found.push(...(await cognitoUsers(peers.cognito, PREFIX)).map((email) => `Cognito: user ${email}`));
  const redis = new Redis(REDIS_URL);
  found.push(...(await redis.keys(`*${PREFIX}*`)).map((key) => `Redis: key ${key}`));
  redis.disconnect();
  return found;
}

async function removeBucket(client, bucket) {
  const all = await keys(client, bucket);
  if (all.length > 0) await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: all.map((Key) => ({ Key })) } }));
  await client.send(new DeleteBucketCommand({ Bucket: bucket }));
}

/** Removes what `prepare` made. */
export async function teardown(peers) {
  const tasks = [];
  if (peers['ceph-rgw'])
    for (const b of [names.cephBucket, names.productionBucket]) tasks.push(removeBucket(s3Client(s3Settings(peers, 'ceph')), b));
  if (peers['supabase-storage']) {
    for (const b of [names.supabaseBucket, names.supabaseS3Bucket]) tasks.push(removeBucket(s3Client(s3Settings(peers, 'supabase')), b));
  }
  for (const name of [names.rdsDatabase, names.supabaseDatabase]) {
    tasks.push(
      admin(async (client) => {
        await client.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1', [name]);
        await client.query(`drop database if exists "${name}"`);
      }),
    );
  }
  await Promise.allSettled(tasks);
}
