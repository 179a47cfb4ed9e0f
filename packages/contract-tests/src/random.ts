import { randomBytes } from 'node:crypto';

/** A short random id for keys, channels and table names that never collide between runs. */
export function randomId(): string {
  return randomBytes(6).toString('hex');
}

/** Deterministic pseudo-random bytes, so a corrupted byte anywhere shows as a mismatch. */
export function patternBytes(size: number, seed = 7): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    out[i] = x >>> 16;
  }
  return out;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
