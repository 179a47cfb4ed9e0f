import type { StoragePort } from '@switchyard/core/adapter';
import { FaultProxy } from '@switchyard/test-peers';
import { type FakeStorage, type FakeStorageOptions, startFakeStorage } from '@switchyard/test-peers/supabase';
import { createSupabaseStorage, type SupabaseStorageOptions } from '../src/storage/index.js';

export const SERVICE_ROLE_KEY = 'fake-service-role-key';
export const BUCKET = 'uploads';

export interface FakeFixture {
  storage: StoragePort;
  fake: FakeStorage;
  stop(): Promise<void>;
}

/** The adapter against the fake Storage API; `fake` settings model the server (file backend by default). */
export async function startSupabaseStorage(
  options: Partial<SupabaseStorageOptions> = {},
  fake: Partial<FakeStorageOptions> = {},
): Promise<FakeFixture> {
  const server = await startFakeStorage({
    serviceRoleKey: SERVICE_ROLE_KEY,
    bucket: BUCKET,
    publicBucket: options.publicBucket === true,
    ...fake,
  });
  const storage = await createSupabaseStorage({ url: server.url, serviceRoleKey: SERVICE_ROLE_KEY, bucket: BUCKET, ...options });
  return { storage, fake: server, stop: () => server.close() };
}

/** The same, through a fault proxy whose faults the contract's fault cases switch. */
export async function startFaultedSupabaseStorage(
  timeoutMs: number,
  options: Partial<SupabaseStorageOptions> = {},
  fake: Partial<FakeStorageOptions> = {},
): Promise<FakeFixture & { proxy: FaultProxy }> {
  const server = await startFakeStorage({
    serviceRoleKey: SERVICE_ROLE_KEY,
    bucket: BUCKET,
    publicBucket: options.publicBucket === true,
    ...fake,
  });
  const proxy = await FaultProxy.start({ port: Number(new URL(server.url).port) });
  const storage = await createSupabaseStorage({
    url: proxy.url(server.url),
    serviceRoleKey: SERVICE_ROLE_KEY,
    bucket: BUCKET,
    timeoutMs,
    ...options,
  });
  return {
    storage,
    fake: server,
    proxy,
    async stop() {
      await proxy.close();
      await server.close();
    },
  };
}
