import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { FaultProxy, peerEnv } from '@switchyard/test-peers';
import { REDIS_URL } from '@switchyard/test-peers/redis';
import { type Cluster, startCluster } from './clusters.js';
import { type CognitoPool, startCognitoPool } from './cognito.js';
import type { SupabaseProject } from './supabase-project.js';
import { startSupabaseProject } from './supabase-project.js';

export const SCHEMA = `create table messages (
  id bigserial primary key,
  message_id uuid not null unique,
  room text not null,
  body text not null,
  sent_at timestamptz not null default now())`;

/** Everything the drill runs against, started once for every seed. */
export interface DrillStack {
  source: Cluster;
  target: Cluster;
  supabase: SupabaseProject;
  cognito: CognitoPool;
  ceph: Record<string, string>;
  storagePeer: Record<string, string>;
  stop(): Promise<void>;
}

export async function startStack(): Promise<DrillStack> {
  const storagePeer = peerEnv('supabase-storage');
  const ceph = peerEnv('ceph-rgw');
  // cognito-local first and alone: it must answer within its start bound even on a loaded machine.
  const cognito = await startCognitoPool();
  const [source, target, supabase] = await Promise.all([
    startCluster('source'),
    startCluster('target'),
    startSupabaseProject({
      storage: {
        url: storagePeer.SUPABASE_URL as string,
        serviceRoleKey: storagePeer.SUPABASE_SERVICE_ROLE_KEY as string,
        anonKey: storagePeer.SUPABASE_ANON_KEY as string,
        bucket: 'unused',
      },
    }),
  ]);
  return {
    source,
    target,
    supabase,
    cognito,
    ceph,
    storagePeer,
    async stop() {
      await Promise.allSettled([source.stop(), target.stop(), cognito.stop(), supabase.stop()]);
    },
  };
}

/** One seed's own databases, buckets and fault proxies, so seeds never see each other's data. */
export interface SeedWorld {
  env: Record<string, string>;
  /** In front of the S3 endpoint (the storage shadow in phase 2). */
  s3Proxy: FaultProxy;
  /** In front of the source database, on the app's path. */
  appDbProxy: FaultProxy;
  /** In front of the source database, on the subscription's path (replication). */
  replicationProxy: FaultProxy;
  close(): Promise<void>;
}

export async function seedWorld(stack: DrillStack, seed: number, stateDir: string): Promise<SeedWorld> {
  const db = `app_${seed}`;
  await Promise.all([stack.source.sql(`create database ${db}`), stack.target.sql(`create database ${db}`)]);
  await Promise.all([stack.source.sql(SCHEMA, [], db), stack.target.sql(SCHEMA, [], db)]);
  // The Storage server keeps its buckets between runs: a replayed seed gets a new one.
  const bucket = `drill-${seed}-${Date.now().toString(36)}`;
  const peer = stack.storagePeer;
  const created = await fetch(`${peer.SUPABASE_URL}/storage/v1/bucket`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${peer.SUPABASE_SERVICE_ROLE_KEY}`,
      apikey: peer.SUPABASE_SERVICE_ROLE_KEY as string,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ id: bucket, name: bucket, public: false }),
  });
  if (!created.ok) throw new Error(`creating the Supabase bucket answered ${created.status}: ${await created.text()}`);
  const ceph = stack.ceph;
  const s3 = new S3Client({
    endpoint: ceph.S3_ENDPOINT,
    region: ceph.S3_REGION ?? 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ceph.S3_ACCESS_KEY_ID as string, secretAccessKey: ceph.S3_SECRET_ACCESS_KEY as string },
  });
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  s3.destroy();
  const s3Url = new URL(ceph.S3_ENDPOINT as string);
  const [s3Proxy, appDbProxy, replicationProxy] = await Promise.all([
    FaultProxy.start({ port: Number(s3Url.port) }),
    FaultProxy.start({ port: stack.source.port }),
    FaultProxy.start({ port: stack.source.port }),
  ]);
  const env: Record<string, string> = {
    ...stack.supabase.env,
    SUPABASE_STORAGE_BUCKET: bucket,
    SUPABASE_DB_URL: appDbProxy.url(stack.source.url(db)),
    ...stack.cognito.env,
    AWS_ACCESS_KEY_ID: ceph.S3_ACCESS_KEY_ID as string,
    AWS_SECRET_ACCESS_KEY: ceph.S3_SECRET_ACCESS_KEY as string,
    AWS_S3_BUCKET: bucket,
    AWS_S3_ENDPOINT: s3Proxy.url(ceph.S3_ENDPOINT as string).replace(/\/$/, ''),
    AWS_S3_FORCE_PATH_STYLE: 'true',
    AWS_S3_CHECKSUMS: 'when_required',
    DATABASE_URL: stack.target.url(db),
    REDIS_URL,
    REDIS_KEY_PREFIX: `sy-drill-${seed}:`,
    SWITCHYARD_SHADOW_TIMEOUT_MS: '1500',
    SWITCHYARD_MIGRATE_FROM: 'supabase',
    SWITCHYARD_MIGRATE_TO: 'aws',
    SWITCHYARD_MIGRATE_DIR: stateDir,
    // The subscription reaches the source through its own proxy, so the drill can slow replication alone.
    SWITCHYARD_MIGRATE_FROM_CONNINFO: `host=127.0.0.1 port=${replicationProxy.port} dbname=${db} user=postgres sslmode=disable`,
  };
  return {
    env,
    s3Proxy,
    appDbProxy,
    replicationProxy,
    async close() {
      await Promise.allSettled([s3Proxy.close(), appDbProxy.close(), replicationProxy.close()]);
    },
  };
}
