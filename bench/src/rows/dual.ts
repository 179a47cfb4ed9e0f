import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DualStorage, type StoragePort } from '@switchyard/core';
import { createLocalStorage } from '@switchyard/local';
import { loadS3 } from '../lib/adapters.js';
import { measureEach, type Side, scale } from '../lib/measure.js';
import { ms, notMeasured, type Row, ratioText } from '../lib/row.js';
import { startS3rver } from '../peers/s3rver.js';
import { s3Options } from './storage.js';

const BODY = new Uint8Array(4 * 1024).fill(7);

/**
 * Row 7: a put through DualStorage vs the primary alone, the shadow alone, and both written by
 * hand concurrently; on two local directories and on two S3 servers (separate s3rver processes).
 */
export async function benchDual(): Promise<Row[]> {
  const rows: Row[] = [];
  const directory = await mkdtemp(join(tmpdir(), 'switchyard-bench-dual-'));
  try {
    const primary = await createLocalStorage({ directory: join(directory, 'primary') });
    const shadow = await createLocalStorage({ directory: join(directory, 'shadow') });
    rows.push(...(await dualRows('local primary + local shadow', primary, shadow)));
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
  const createS3Storage = await loadS3();
  if (typeof createS3Storage === 'string') return [...rows, notMeasured('7', 'DualStorage.put over two S3 servers', createS3Storage)];
  const [one, two] = await Promise.all([startS3rver(), startS3rver()]);
  try {
    const primary = await createS3Storage(s3Options(one));
    const shadow = await createS3Storage(s3Options(two));
    rows.push(...(await dualRows('S3 primary + S3 shadow (two s3rver processes)', primary, shadow)));
    await Promise.all([primary.close(), shadow.close()]);
  } finally {
    await Promise.all([one.stop(), two.stop()]);
  }
  return rows;
}

async function dualRows(label: string, primary: StoragePort, shadow: StoragePort): Promise<Row[]> {
  const dual = new DualStorage({ primary, shadow });
  const ops = scale(100, 40);
  // One put at a time: the cost one request pays to write one object.
  const puts = (name: string, put: (key: string) => Promise<unknown>): Side => ({
    ops,
    async run() {
      for (let i = 0; i < ops; i++) await put(`${name}/${i}`);
    },
  });
  const one = (port: StoragePort) => (key: string) => port.put(key, BODY);
  const rates = await measureEach(
    [
      puts('dual', one(dual)),
      puts('primary', one(primary)),
      puts('shadow', one(shadow)),
      puts('both', (key) => Promise.all([primary.put(key, BODY), shadow.put(key, BODY)])),
    ],
    { trials: scale(7, 3) },
  );
  const [dualCost, primaryCost, shadowCost, bothCost] = rates.map((rate) => 1000 / rate) as [number, number, number, number];
  const overhead = dualCost - primaryCost;
  const vsBoth = dualCost / bothCost;
  return [
    {
      id: '7',
      what: `DualStorage.put, ${label}, 4 KiB one at a time, vs primary.put + shadow.put by hand with Promise.all (ratio = time ÷ time, lower is better)`,
      port: `${ms(dualCost)}/put`,
      anchor: `${ms(bothCost)}/put`,
      ratio: ratioText(vsBoth),
      target: '≤ 1.10',
      met: vsBoth <= 1.1 ? 'yes' : 'NO',
    },
    {
      id: '7',
      what: `dual overhead over the primary alone vs the shadow's own put cost (${label})`,
      port: `+${ms(overhead)}/put (primary alone ${ms(primaryCost)})`,
      anchor: `shadow alone ${ms(shadowCost)}/put`,
      ratio: ratioText(overhead / shadowCost),
      target: 'overhead ≤ shadow cost',
      met: overhead <= shadowCost ? 'yes' : 'NO',
    },
  ];
}
