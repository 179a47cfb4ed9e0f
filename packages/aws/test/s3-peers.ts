import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { StorageFixture } from '@switchyard/contract-tests';
import { peerEnv } from '@switchyard/test-peers';
import { createS3Storage, type S3EndpointLimits, type S3StorageOptions } from '../src/s3/index.js';

/** Ceph RGW 16 checks conditions on PutObject but not on CompleteMultipartUpload (measured: s3.ceph.peers.test.ts). */
export const CEPH_LIMITS: S3EndpointLimits = { conditionalWrites: 'put-only' };

/**
 * Supabase Storage's S3 endpoint as the peers kit runs it (storage-api 1.70.6, file backend). It
 * verifies SigV4 and checks every POST policy condition but `content-length-range`
 * (src/storage/protocols/s3/policy.ts), ignores If-Match / If-None-Match on PUT
 * (src/http/routes/s3/commands/put-object.ts reads neither), and stores each key segment as a file
 * name (255 bytes). It accepts `A-Za-z0-9_/!.*'() &$=@;:+,?-` in keys (`isValidKey`), but this
 * version reads `x-amz-copy-source` without URL-decoding it (supabase/storage#1377, fixed by #1378),
 * so a key with a character S3 clients percent-encode there (space & $ = @ ; : + , ?) cannot be
 * copied: the kit can hold only the rest.
 */
export const SUPABASE_S3_LIMITS: S3EndpointLimits = {
  postPolicy: 'except-size',
  conditionalWrites: 'not-enforced',
  keyCharacters: "A-Za-z0-9_/!.*'()-",
  maxKeySegmentBytes: 255,
};

export type S3Peer = 'ceph-rgw' | 'supabase-storage';

const quiet = () => undefined;

/** Client settings of a started peer (see `npm run test:peers`). */
function settings(peer: S3Peer): Pick<S3StorageOptions, 'endpoint' | 'region' | 'credentials' | 'forcePathStyle'> {
  const env = peerEnv(peer);
  const [endpoint, region, accessKeyId, secretAccessKey] =
    peer === 'ceph-rgw'
      ? [env.S3_ENDPOINT, env.S3_REGION, env.S3_ACCESS_KEY_ID, env.S3_SECRET_ACCESS_KEY]
      : [
          env.SUPABASE_STORAGE_S3_ENDPOINT,
          env.SUPABASE_STORAGE_S3_REGION,
          env.SUPABASE_STORAGE_S3_ACCESS_KEY_ID,
          env.SUPABASE_STORAGE_S3_SECRET_ACCESS_KEY,
        ];
  if (!endpoint || !region || !accessKeyId || !secretAccessKey) throw new Error(`the ${peer} peer printed no S3 endpoint or keys`);
  return { endpoint, region, forcePathStyle: true, credentials: { accessKeyId, secretAccessKey } };
}

/** A raw SDK client on the peer, for setup and for what the adapter deliberately never sends. */
export function rawClient(peer: S3Peer, checksums: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED' = 'WHEN_REQUIRED'): S3Client {
  const { endpoint, region, credentials } = settings(peer);
  return new S3Client({
    endpoint,
    region,
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: checksums,
    responseChecksumValidation: checksums,
    // The tests expect refusals; the SDK would print a warning for each.
    logger: { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet },
  });
}

export interface PeerBucket {
  bucket: string;
  /** Options for `createS3Storage` on this bucket. */
  options(extra?: Partial<S3StorageOptions>): S3StorageOptions;
  /** Empties and removes the bucket. */
  remove(): Promise<void>;
}

/** Creates a fresh bucket on the peer; buckets do not exist when a peer starts. */
export async function createPeerBucket(peer: S3Peer): Promise<PeerBucket> {
  const bucket = `sy-${peer === 'ceph-rgw' ? 'ceph' : 'supa'}-${randomBytes(4).toString('hex')}`;
  const client = rawClient(peer);
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    bucket,
    options: (extra = {}) => ({ bucket, ...settings(peer), ...extra }),
    async remove() {
      try {
        let token: string | undefined;
        do {
          const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
          const keys = (page.Contents ?? []).map(({ Key }) => ({ Key }));
          if (keys.length > 0) await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys, Quiet: true } }));
          token = page.NextContinuationToken;
        } while (token);
        await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      } finally {
        client.destroy();
      }
    },
  };
}

/** A contract fixture on a fresh bucket of the peer, removed afterwards. */
export async function peerFixture(peer: S3Peer, extra: Partial<S3StorageOptions>): Promise<StorageFixture> {
  const bucket = await createPeerBucket(peer);
  const port = await createS3Storage(bucket.options(extra));
  return {
    port,
    harness: undefined,
    teardown: async () => {
      await port.close();
      await bucket.remove();
    },
  };
}
