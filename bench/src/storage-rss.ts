// Child process for row 1's memory figure: streams `count` × 8 MiB objects in and out through one
// store and prints the peak RSS. A fresh process per measurement keeps one side's allocator
// high-water mark from hiding (or inflating) the other's.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { createLocalStorage } from '@switchyard/local';
import { loadS3 } from './lib/adapters.js';
import { runConcurrent } from './lib/measure.js';
import { RssSampler } from './lib/rss.js';
import { chunks, type ObjectStore, portStore, rawFsStore, rawS3Store } from './rows/storage-sides.js';

export interface RssJob {
  store: 's3-port' | 's3-raw' | 'local-port' | 'fs-raw';
  count: number;
  /** s3rver endpoint and bucket for the S3 stores; a directory for the local ones. */
  endpoint?: string;
  bucket?: string;
  directory?: string;
}

const SIZE = 8 * 2 ** 20;
const job = JSON.parse(process.argv[2]!) as RssJob;
const s3 = {
  region: 'us-east-1',
  endpoint: job.endpoint!,
  forcePathStyle: true,
  credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
};

async function open(): Promise<ObjectStore> {
  switch (job.store) {
    case 's3-port': {
      const createS3Storage = await loadS3();
      if (typeof createS3Storage === 'string') throw new Error(createS3Storage);
      return portStore(await createS3Storage({ ...s3, bucket: job.bucket!, checksums: 'when_required' }));
    }
    case 's3-raw': {
      const client = new S3Client({ ...s3, requestChecksumCalculation: 'WHEN_REQUIRED', responseChecksumValidation: 'WHEN_REQUIRED' });
      return rawS3Store(client, job.bucket!, { partSize: SIZE, queueSize: 4 });
    }
    case 'local-port':
      await mkdir(job.directory!, { recursive: true });
      return portStore(await createLocalStorage({ directory: job.directory! }));
    case 'fs-raw':
      return rawFsStore(job.directory!);
  }
}

const store = await open();
// Load the code paths once (a 1-byte object and a 2 MiB stream) so the baseline includes the
// modules and what a store starts once, not the data: the local adapter's hashing thread (about
// 19 MiB) starts on the first stream past 256 KiB. The peak, printed too, still holds it.
await store.putBytes('rss/warm', new Uint8Array(1));
await store.getBytes('rss/warm');
await store.putStream('rss/warm-stream', chunks(2 * 2 ** 20), 2 * 2 ** 20);
await store.getStream('rss/warm-stream');
const sampler = new RssSampler(5);
await runConcurrent(job.count, 2, (i) => store.putStream(join('rss', job.store, String(i)), chunks(SIZE), SIZE));
await runConcurrent(job.count, 2, async (i) => {
  if ((await store.getStream(join('rss', job.store, String(i)))) !== SIZE) throw new Error('short read');
});
const result = sampler.stop();
process.stdout.write(`${JSON.stringify({ ...result, baselineMiB: sampler.baseline / 2 ** 20 })}\n`);
process.exit(0);
