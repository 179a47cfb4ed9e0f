// A child process running s3rver on a free port (bench/src/peers/s3rver.ts starts it). s3rver needs
// NODE_OPTIONS=--openssl-legacy-provider on Node ≥ 17, which only a separate process can be given.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';

const directory = await mkdtemp(join(tmpdir(), 'switchyard-bench-s3-'));
const bucket = process.argv[2] ?? 'bench';
const server = new S3rver({ port: 0, address: '127.0.0.1', directory, silent: true, configureBuckets: [{ name: bucket }] });
const address = (await server.run()) as { port: number };
process.stdout.write(`${JSON.stringify({ port: address.port })}\n`);

async function stop() {
  await server.close().catch(() => undefined);
  await rm(directory, { recursive: true, force: true });
  process.exit(0);
}
// The parent closes stdin when it is done (or dies): either way the peer goes away with its files.
process.stdin.on('end', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
