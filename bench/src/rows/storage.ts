import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { createLocalStorage } from '@switchyard/local';
import { loadS3 } from '../lib/adapters.js';
import { compare, runConcurrent, type Side, scale } from '../lib/measure.js';
import { notMeasured, type Row, throughputRow } from '../lib/row.js';
import { type S3Peer, startS3rver } from '../peers/s3rver.js';
import { type RssJobs, rssOf } from './storage-rss-run.js';
import { CHUNK, chunks, type ObjectStore, portStore, rawFsStore, rawS3Store } from './storage-sides.js';

const SMALL = 4 * 1024;
const LARGE = 8 * 1024 * 1024;
const MiB = 2 ** 20;
/** Two objects in flight: more growth than the raw client's plus this would mean buffering whole objects. */
const SLACK_MIB = 16;

/** Row 1: put+get of many 4 KiB and a few 8 MiB objects, port vs raw, with peak RSS for the large ones. */
export async function benchStorage(): Promise<Row[]> {
  return [...(await benchLocal()), ...(await benchS3())];
}

async function benchLocal(): Promise<Row[]> {
  const directory = await mkdtemp(join(tmpdir(), 'switchyard-bench-local-'));
  try {
    const port = await createLocalStorage({ directory: join(directory, 'port') });
    const raw = await rawFsStore(join(directory, 'raw'));
    return await storageRows('1b', 'local storage vs node:fs (temp file, fsync, rename)', portStore(port), raw, {
      port: { store: 'local-port', directory: join(directory, 'rss-port') },
      anchor: { store: 'fs-raw', directory: join(directory, 'rss-raw') },
    });
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

async function benchS3(): Promise<Row[]> {
  const createS3Storage = await loadS3();
  if (typeof createS3Storage === 'string') return [notMeasured('1a', 'S3 storage put+get', createS3Storage)];
  const peer = await startS3rver();
  try {
    const port = await createS3Storage(s3Options(peer));
    const client = new S3Client({
      region: peer.region,
      endpoint: peer.endpoint,
      forcePathStyle: true,
      credentials: peer.credentials,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    try {
      // lib-storage with the adapter's default part size and queue, so both stream the same way.
      const raw = rawS3Store(client, peer.bucket, { partSize: 8 * MiB, queueSize: 4 });
      const target = { endpoint: peer.endpoint, bucket: peer.bucket };
      return await storageRows('1a', 'S3 adapter vs raw client-s3 (s3rver)', portStore(port), raw, {
        port: { store: 's3-port', ...target },
        anchor: { store: 's3-raw', ...target },
      });
    } finally {
      client.destroy();
      await port.close();
    }
  } finally {
    await peer.stop();
  }
}

export function s3Options(peer: S3Peer) {
  return {
    bucket: peer.bucket,
    region: peer.region,
    endpoint: peer.endpoint,
    forcePathStyle: true,
    credentials: peer.credentials,
    checksums: 'when_required' as const,
    // A bare s3rver checks no POST policy, no signature and no condition.
    limits: { postPolicy: 'not-enforced', signatures: 'not-verified', conditionalWrites: 'not-enforced' } as const,
  };
}

async function storageRows(id: string, label: string, port: ObjectStore, raw: ObjectStore, rss: RssJobs): Promise<Row[]> {
  // Interleaved trials of 200 small and of 4 large objects per side. A trial lasts a tenth of a
  // second, over which this machine's fsync time swings by a factor of three: five trials gave
  // ratios from 0.74 to 1.17 for one build; fifteen pairs give a median that holds still.
  const trials = scale(15, 3);
  const smallTotal = scale(3000, 200);
  const smallCount = Math.round(smallTotal / trials);
  const small = new Uint8Array(CHUNK.subarray(0, SMALL));
  const smallSide = (store: ObjectStore, prefix: string): Side => ({
    ops: smallCount,
    async run() {
      await runConcurrent(smallCount, 16, (i) => store.putBytes(`${prefix}/small/${i}`, small));
      await runConcurrent(smallCount, 16, async (i) => {
        const bytes = await store.getBytes(`${prefix}/small/${i}`);
        if (bytes.byteLength !== SMALL) throw new Error('short read');
      });
    },
  });
  const smallResult = await compare(smallSide(port, 'port'), smallSide(raw, 'raw'), { trials });

  const largeTotal = scale(60, 6);
  const largeCount = Math.round(largeTotal / trials);
  // The memory row streams fewer: its growth is per object in flight, not per object moved.
  const rssTotal = scale(20, 6);
  const largeSide = (store: ObjectStore, prefix: string): Side => ({
    ops: largeCount,
    async run() {
      await runConcurrent(largeCount, 2, (i) => store.putStream(`${prefix}/large/${i}`, chunks(LARGE), LARGE));
      await runConcurrent(largeCount, 2, async (i) => {
        if ((await store.getStream(`${prefix}/large/${i}`)) !== LARGE) throw new Error('short read');
      });
    },
  });
  const largeResult = await compare(largeSide(port, 'port'), largeSide(raw, 'raw'), { trials });
  const memory = await rssOf(rss, rssTotal);
  return [
    throughputRow(
      { id, what: `${label}: put+get of ${smallTotal} × 4 KiB (${trials} trials of ${smallCount}, 16 in flight), objects/s` },
      smallResult,
      0.9,
    ),
    throughputRow(
      { id, what: `${label}: streamed put+get of ${largeTotal} × 8 MiB (${trials} trials of ${largeCount}, 2 in flight), objects/s` },
      largeResult,
      0.9,
    ),
    {
      id,
      what: `${label}: RSS growth while streaming ${rssTotal} × 8 MiB in and out (2 in flight), fresh process per side, median of ${memory.runs}`,
      port: `+${memory.port.growthMiB.toFixed(0)} MiB (peak ${memory.port.peakMiB.toFixed(0)} MiB)`,
      anchor: `+${memory.anchor.growthMiB.toFixed(0)} MiB (peak ${memory.anchor.peakMiB.toFixed(0)} MiB)`,
      ratio: '—',
      target: `≤ anchor + ${SLACK_MIB} MiB (${(2 * rssTotal * LARGE) / MiB} MiB moved)`,
      met: memory.port.growthMiB <= memory.anchor.growthMiB + SLACK_MIB ? 'yes' : 'NO',
      note: 'RSS growth = peak RSS sampled every 5 ms minus RSS after loading the code; it includes V8 heap growth between GCs, which is why the raw client grows too',
    },
  ];
}
