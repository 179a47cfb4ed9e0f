import { randomId } from '@switchyard/contract-tests';
import type { StoragePort } from '@switchyard/core/adapter';
import { peerEnv } from '@switchyard/test-peers';
import { SignJWT } from 'jose';
import { afterAll, beforeAll } from 'vitest';
import { createSupabaseStorage, type SupabaseStorageOptions } from '../src/storage/index.js';

/** The real Storage API server the peers tier started (see /work/shared/peers/supabase-storage/README.md). */
export interface StoragePeer {
  url: string;
  serviceRoleKey: string;
  jwtSecret: string;
  /** The server's own PostgreSQL (`storage` schema), for seeding large listings quickly. */
  dbUrl: string;
}

export function storagePeer(): StoragePeer {
  const env = peerEnv('supabase-storage');
  const need = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`the supabase-storage peer printed no ${name}`);
    return value;
  };
  return {
    url: need('SUPABASE_URL'),
    serviceRoleKey: need('SUPABASE_SERVICE_ROLE_KEY'),
    jwtSecret: need('SUPABASE_JWT_SECRET'),
    dbUrl: need('SUPABASE_STORAGE_DB_URL'),
  };
}

export interface BucketSettings {
  public?: boolean;
  fileSizeLimit?: number;
  allowedMimeTypes?: string[];
}

/** Calls the Storage API with the service-role key, failing loudly on any error. */
export async function storageApi(peer: Pick<StoragePeer, 'url' | 'serviceRoleKey'>, method: string, path: string, body?: unknown) {
  const response = await fetch(`${peer.url}/storage/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${peer.serviceRoleKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** Creates a bucket with a random name on a Storage API server; `drop` empties and deletes it. */
export async function createBucket(
  peer: Pick<StoragePeer, 'url' | 'serviceRoleKey'>,
  settings: BucketSettings = {},
): Promise<{ bucket: string; drop(): Promise<void> }> {
  const bucket = `b-${randomId()}`.toLowerCase();
  await storageApi(peer, 'POST', '/bucket', {
    id: bucket,
    name: bucket,
    public: settings.public === true,
    ...(settings.fileSizeLimit === undefined ? {} : { file_size_limit: settings.fileSizeLimit }),
    ...(settings.allowedMimeTypes === undefined ? {} : { allowed_mime_types: settings.allowedMimeTypes }),
  });
  return {
    bucket,
    async drop() {
      await storageApi(peer, 'POST', `/bucket/${bucket}/empty`, {});
      // Emptying is asynchronous on some versions; retry the delete briefly.
      for (let attempt = 0; ; attempt++) {
        try {
          await storageApi(peer, 'DELETE', `/bucket/${bucket}`);
          return;
        } catch (error) {
          if (attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 250));
        }
      }
    },
  };
}

/**
 * A bucket on the peer for the enclosing `describe`: created before its tests, emptied and deleted
 * after them. `open` makes an adapter on it (options override the peer's settings).
 */
export function suiteBucket(settings: BucketSettings = {}) {
  let made: { peer: StoragePeer; bucket: string; drop(): Promise<void> } | undefined;
  beforeAll(async () => {
    const peer = storagePeer();
    made = { peer, ...(await createBucket(peer, settings)) };
  });
  afterAll(() => made?.drop());
  const need = () => {
    if (!made) throw new Error('the suite bucket was not created; see the beforeAll error');
    return made;
  };
  return {
    peer: () => need().peer,
    name: () => need().bucket,
    open: (options: Partial<SupabaseStorageOptions> = {}): Promise<StoragePort> =>
      createSupabaseStorage({ url: need().peer.url, serviceRoleKey: need().peer.serviceRoleKey, bucket: need().bucket, ...options }),
  };
}

/** A service_role JWT signed with a secret that is not the project's. */
export function forgedServiceKey(): Promise<string> {
  return new SignJWT({ role: 'service_role' })
    .setProtectedHeader({ alg: 'HS256' })
    .sign(new TextEncoder().encode('a-secret-that-is-not-this-projects-secret'));
}

/** A fetch that counts the requests it makes, by "METHOD path". */
export function countingFetch(): { fetch: typeof fetch; requests: string[] } {
  const requests: string[] = [];
  return {
    requests,
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      requests.push(`${init?.method ?? (input instanceof Request ? input.method : 'GET')} ${url.pathname}`);
      return fetch(input, init);
    },
  };
}
