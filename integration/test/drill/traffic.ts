import { randomUUID } from 'node:crypto';
import { sql } from '@switchyard/core';
import { type Fleet, type Instance, type RetryLog, withRetry } from './fleet.js';
import type { Seeded } from './seeded.js';

/** The last acknowledged state of one object key: what the final primary must hold. */
export interface ObjectState {
  version: number;
  /** Null after an acknowledged delete. */
  bytes: Uint8Array | null;
  contentType: string;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Each version has its own size and a type by parity, so a get that mixes two versions is caught. */
export function versionOf(key: string, version: number, random: Seeded): { bytes: Uint8Array; contentType: string } {
  const header = new TextEncoder().encode(`${key}@${version}|`);
  const size = random.int(1, 160) * 1024 + version;
  const bytes = new Uint8Array(size);
  bytes.set(random.bytes(size));
  bytes.set(header.subarray(0, Math.min(header.length, size)));
  return { bytes, contentType: version % 2 === 0 ? 'image/png' : 'image/jpeg' };
}

function versionIn(bytes: Uint8Array): number {
  const text = new TextDecoder().decode(bytes.subarray(0, 200));
  return Number(/@(\d+)\|/.exec(text)?.[1] ?? Number.NaN);
}

/**
 * The app's traffic during the migration, seeded: storage overwrites and deletes on a small key
 * set (so copies race them), reads of keys being overwritten (a torn get mixes one version's info
 * with another's bytes), chat messages stored in a bigserial table and published, all through
 * whichever instance is live, retried on retryable errors.
 */
export class Traffic {
  readonly objects = new Map<string, ObjectState>();
  readonly messages: string[] = [];
  readonly log: RetryLog = { retried: {}, failed: [] };
  torn = 0;
  /** Torn reads by the primary that served them. */
  readonly tornAt: Record<string, number> = {};
  reads = 0;
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly fleet: Fleet,
    private readonly random: Seeded,
    readonly room: string,
    private readonly keys: string[],
  ) {}

  private pick = (n: number) => Math.floor(this.random.next() * n);

  start(): void {
    this.running = true;
    // One writer per half of the keys: each key's writes are sequential, so its last acknowledged write is well defined.
    const halves = [this.keys.filter((_, i) => i % 2 === 0), this.keys.filter((_, i) => i % 2 === 1)];
    this.loops = [...halves.map((keys) => this.storageWriter(keys)), this.reader(), this.chatter()];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async storageWriter(keys: string[]): Promise<void> {
    while (this.running) {
      const key = this.random.pick(keys);
      const state = this.objects.get(key);
      const version = (state?.version ?? 0) + 1;
      if (state?.bytes && this.random.chance(0.08)) {
        const done = await withRetry(this.fleet, this.log, `delete ${key}`, this.pick, (i) =>
          i.providers.storage.delete(key).then(() => true),
        );
        if (done) this.objects.set(key, { version, bytes: null, contentType: '' });
      } else {
        const { bytes, contentType } = versionOf(key, version, this.random);
        const done = await withRetry(this.fleet, this.log, `put ${key}`, this.pick, (i) =>
          i.providers.storage.put(key, bytes, { contentType }).then(() => true),
        );
        if (done) this.objects.set(key, { version, bytes, contentType });
      }
      await pause(this.random.int(5, 60));
    }
  }

  /** Reads keys being overwritten through the primary: the body's version must match the info's size and type. */
  private async reader(): Promise<void> {
    while (this.running) {
      const key = this.random.pick(this.keys);
      await withRetry(this.fleet, this.log, `get ${key}`, this.pick, async (i) => {
        try {
          const object = await i.providers.storage.get(key);
          const bytes = await object.bytes();
          const version = versionIn(bytes);
          this.reads++;
          const expectedType = version % 2 === 0 ? 'image/png' : 'image/jpeg';
          if (bytes.byteLength !== object.info.size || object.info.contentType !== expectedType) {
            this.torn++;
            const primary = i.phase <= 2 ? 'supabase' : 'aws';
            this.tornAt[primary] = (this.tornAt[primary] ?? 0) + 1;
          }
        } catch (error) {
          if ((error as { code?: string }).code !== 'NOT_FOUND') throw error;
        }
      });
      await pause(this.random.int(5, 40));
    }
  }

  private async chatter(): Promise<void> {
    while (this.running) {
      const id = randomUUID();
      const body = `message ${this.messages.length}`;
      const stored = await withRetry(this.fleet, this.log, `insert ${id}`, this.pick, (i: Instance) =>
        // Idempotent by message id: a retry after a lost answer does not store it twice.
        i.providers.db
          .query(
            sql`insert into messages (message_id, room, body) values (${id}, ${this.room}, ${body}) on conflict (message_id) do nothing`,
          )
          .then(() => true),
      );
      if (stored) {
        this.messages.push(id);
        await withRetry(this.fleet, this.log, `publish ${id}`, this.pick, (i) => i.providers.pubsub.publish(this.room, { body }, { id }));
      }
      await pause(this.random.int(20, 80));
    }
  }
}
