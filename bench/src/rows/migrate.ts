import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createPostgresDb } from '@switchyard/postgres';
import pg from 'pg';
import { loadS3 } from '../lib/adapters.js';
import { median, runConcurrent, scale } from '../lib/measure.js';
import { notMeasured, type Row, ratioText } from '../lib/row.js';
import { startS3rver } from '../peers/s3rver.js';
import { generatedPair } from './generated-storage.js';
import { s3Options } from './storage.js';

const run = promisify(execFile);
const CONCURRENCY = 16;
const OBJECT_BYTES = 256 * 1024;
const ADMIN_URL = process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The command's module, loaded at run time so a missing build is a "not measured" row. */
async function migrate(): Promise<typeof import('@switchyard/migrate')> {
  return import('@switchyard/migrate');
}

/** The hand-written loop an operator would write with the SDK: list, get, put, 16 at a time. */
async function handCopy(client: S3Client, from: string, to: string): Promise<void> {
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: from, ContinuationToken: token }));
    const keys = (page.Contents ?? []).map((o) => o.Key as string);
    await runConcurrent(keys.length, CONCURRENCY, async (i) => {
      const object = await client.send(new GetObjectCommand({ Bucket: from, Key: keys[i] }));
      const body = await object.Body!.transformToByteArray();
      await client.send(new PutObjectCommand({ Bucket: to, Key: keys[i], Body: body, ContentType: object.ContentType }));
    });
    token = page.NextContinuationToken;
  } while (token);
}

/** Row m1: `switchyard copy objects` vs the hand-written loop, S3 to S3 with the same SDK, and its heap at two bucket sizes. */
export async function benchCopy(): Promise<Row[]> {
  const createS3Storage = await loadS3();
  if (typeof createS3Storage === 'string') return [notMeasured('m1', 'switchyard copy objects', createS3Storage)];
  const { copyObjects } = await migrate();
  const peer = await startS3rver('bench-from');
  const client = new S3Client({
    region: peer.region,
    endpoint: peer.endpoint,
    forcePathStyle: true,
    credentials: peer.credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const state = await mkdtemp(join(tmpdir(), 'bench-migrate-'));
  try {
    const count = scale(256, 32);
    const body = randomBytes(OBJECT_BYTES);
    await runConcurrent(count, CONCURRENCY, (i) =>
      client.send(new PutObjectCommand({ Bucket: 'bench-from', Key: `photos/${i}.jpg`, Body: body, ContentType: 'image/jpeg' })),
    );
    const from = await createS3Storage(s3Options(peer));
    let bucket = 0;
    const fresh = async () => {
      const name = `bench-to-${++bucket}`;
      await client.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    };
    // Two targets: described as AWS S3 (conditional writes: each copy is a GET and a PUT with
    // If-None-Match, the hand loop's two requests), and as an endpoint without conditional writes,
    // where the copy looks again before writing (a third request) to keep its never-replace-newer
    // promise. s3rver ignores the condition either way; the request pattern is what is measured.
    const measure = async (conditionalWrites: 'enforced' | 'not-enforced') => {
      const portRates: number[] = [];
      const anchorRates: number[] = [];
      const ratios: number[] = [];
      for (let trial = 0; trial < scale(5, 2); trial++) {
        const [portBucket, anchorBucket] = [await fresh(), await fresh()];
        const options = s3Options(peer);
        const to = await createS3Storage({ ...options, bucket: portBucket, limits: { ...options.limits, conditionalWrites } });
        const timePort = async () => {
          const started = performance.now();
          const stateDir = join(state, `${conditionalWrites}-${trial}`);
          const result = await copyObjects({ from, to, stateDir, concurrency: CONCURRENCY, restart: true });
          if (result.counts.copied !== count) throw new Error(`copied ${result.counts.copied} of ${count}`);
          return count / ((performance.now() - started) / 1000);
        };
        const timeAnchor = async () => {
          const started = performance.now();
          await handCopy(client, 'bench-from', anchorBucket);
          return count / ((performance.now() - started) / 1000);
        };
        // The order flips every trial, as in the other rows.
        let p: number;
        let a: number;
        if (trial % 2) {
          a = await timeAnchor();
          p = await timePort();
        } else {
          p = await timePort();
          a = await timeAnchor();
        }
        portRates.push(p);
        anchorRates.push(a);
        ratios.push(p / a);
        await to.close();
      }
      return { port: median(portRates), anchor: median(anchorRates), ratio: median(ratios) };
    };
    const s3Like = await measure('enforced');
    const unconditional = await measure('not-enforced');
    const heap = await heapGrowth(copyObjects);
    const anchorText = (rate: number) => `${rate.toFixed(1)} objects/s (hand-written list/get/put loop, client-s3)`;
    return [
      {
        id: 'm1',
        what: `switchyard copy objects (${count} × 256 KiB, S3 → S3, ${CONCURRENCY} at once; target with conditional writes, as AWS S3)`,
        port: `${s3Like.port.toFixed(1)} objects/s`,
        anchor: anchorText(s3Like.anchor),
        ratio: ratioText(s3Like.ratio),
        target: '≥ 0.9',
        met: s3Like.ratio >= 0.9 ? 'yes' : 'NO',
        note: `live heap growth while copying ${heap.map((h) => `${h.count.toLocaleString('en-US')} objects: ${h.mib.toFixed(1)} MiB`).join(', ')} (generated source → sink): one listed page and the objects in flight`,
      },
      {
        id: 'm1',
        what: 'the same copy to an endpoint without conditional writes (it looks at the target again before each write: 3 requests to the loop’s 2)',
        port: `${unconditional.port.toFixed(1)} objects/s`,
        anchor: anchorText(unconditional.anchor),
        ratio: ratioText(unconditional.ratio),
        target: 'informational',
        met: 'n/a',
      },
    ];
  } finally {
    client.destroy();
    await peer.stop();
    await rm(state, { recursive: true, force: true });
  }
}

/** Peak live heap above the start while `copyObjects` copies generated objects into a sink, at two bucket sizes. */
async function heapGrowth(copyObjects: typeof import('@switchyard/migrate')['copyObjects']): Promise<{ count: number; mib: number }[]> {
  const results: { count: number; mib: number }[] = [];
  for (const count of [scale(20_000, 2_000), scale(80_000, 8_000)]) {
    const dir = await mkdtemp(join(tmpdir(), 'bench-heap-'));
    try {
      const { from, to } = generatedPair(count);
      (globalThis as { gc?: () => void }).gc?.();
      const start = process.memoryUsage().heapUsed;
      let peak = start;
      // Live memory, not garbage awaiting collection: collect, then read (node --expose-gc, as npm run bench runs).
      const sampler = setInterval(() => {
        (globalThis as { gc?: () => void }).gc?.();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }, 50);
      await copyObjects({ from, to, stateDir: join(dir, 'state'), concurrency: 16, pageSize: 1000 });
      clearInterval(sampler);
      results.push({ count, mib: (peak - start) / 2 ** 20 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  return results;
}

async function admin(sqlText: string, database = 'postgres'): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL.replace(/\/[^/]*$/, `/${database}`) });
  await client.connect();
  try {
    await client.query(sqlText);
  } finally {
    await client.end();
  }
}

/** Row m2: `switchyard verify tables` on a 1,000,000-row table at both sides vs `COPY … TO STDOUT` of that table. */
export async function benchVerifyTables(): Promise<Row[]> {
  const { verifyTables } = await migrate();
  const rows = scale(1_000_000, 50_000);
  const names = [`bench_verify_a_${randomBytes(3).toString('hex')}`, `bench_verify_b_${randomBytes(3).toString('hex')}`];
  const state = await mkdtemp(join(tmpdir(), 'bench-verify-'));
  try {
    for (const name of names) {
      await admin(`create database ${name}`);
      await admin(
        `create table events (id bigint primary key, user_id uuid not null, kind text not null, payload jsonb, at timestamptz not null);
         insert into events select i, md5(i::text)::uuid, 'kind ' || (i % 17), jsonb_build_object('n', i), timestamptz '2026-01-01 00:00:00+00' - i * interval '1 second' from generate_series(1, ${rows}) i`,
        name,
      );
      await admin('vacuum analyze events', name);
    }
    const url = (name: string) => ADMIN_URL.replace(/\/[^/]*$/, `/${name}`);
    const [from, to] = await Promise.all(names.map((name) => createPostgresDb({ connectionString: url(name) })));
    const verifyTimes: number[] = [];
    const copyTimes: number[] = [];
    for (let trial = 0; trial < scale(3, 1); trial++) {
      let started = performance.now();
      // psql writes the rows straight to /dev/null: COPY's own cost, none of this process's.
      await run('psql', [url(names[0] as string), '-q', '-o', '/dev/null', '-c', 'copy events to stdout']);
      copyTimes.push(performance.now() - started);
      started = performance.now();
      const result = await verifyTables({ from: from!, to: to!, schemas: ['public'], stateDir: state });
      verifyTimes.push(performance.now() - started);
      if (result.differing !== 0 || result.tables[0]?.rows.source !== rows) throw new Error('verify tables did not see equal tables');
    }
    await Promise.all([from!.close(), to!.close()]);
    const ratio = median(verifyTimes) / median(copyTimes);
    return [
      {
        id: 'm2',
        what: `switchyard verify tables (${rows.toLocaleString('en-US')} rows at each side)`,
        port: `${(median(verifyTimes) / 1000).toFixed(2)} s`,
        anchor: `${(median(copyTimes) / 1000).toFixed(2)} s (psql: copy events to stdout, into /dev/null, one side)`,
        ratio: `${ratioText(ratio)} (time)`,
        target: '≤ 2',
        met: ratio <= 2 ? 'yes' : 'NO',
        note: 'both sides checksum 50,000-row primary-key ranges in the server; only counts and checksums cross the wire',
      },
    ];
  } finally {
    for (const name of names) await admin(`drop database if exists ${name} with (force)`).catch(() => undefined);
    await rm(state, { recursive: true, force: true });
  }
}
