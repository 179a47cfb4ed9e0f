import { SwitchyardError } from '@switchyard/core';

/** One worker's share of a split run: shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** The whole run as one shard. */
export const WHOLE: Shard = { index: 1, count: 1 };

/** Parses `i/n` (1 ≤ i ≤ n ≤ 1024); INVALID_INPUT otherwise. */
export function parseShard(value: string | undefined): Shard {
  if (value === undefined) return WHOLE;
  const match = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || count > 1024 || index < 1 || index > count) {
    throw new SwitchyardError({
      code: 'INVALID_INPUT',
      operation: 'switchyard',
      message: `--shard is "${value}"; expected i/n with 1 ≤ i ≤ n ≤ 1024, e.g. 1/4 (run one worker per shard, 1/4 to 4/4).`,
    });
  }
  return { index, count };
}

const utf8 = new TextEncoder();

/** FNV-1a (32 bits) of the UTF-8 bytes: the same on every machine and Node version, so shards never overlap. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of utf8.encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** True when `key` (an object key or user id) belongs to `shard`. */
export function inShard(shard: Shard, key: string): boolean {
  return shard.count === 1 || fnv1a(key) % shard.count === shard.index - 1;
}

/** The checkpoint name suffix of a shard: empty for a whole run. */
export function shardSuffix(shard: Shard): string {
  return shard.count === 1 ? '' : `.shard-${shard.index}-of-${shard.count}`;
}
