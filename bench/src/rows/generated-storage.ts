import { bodyToBytes, bodyToStream, type ListPage, type ObjectInfo, type StoragePort, storedObject } from '@switchyard/core/adapter';

const BODY = new Uint8Array(512).fill(120);
const DATE = new Date('2026-01-01T00:00:00Z');
const keyOf = (i: number) => `k/${String(i).padStart(8, '0')}`;

const notUsed = () => Promise.reject(new Error('not used by the memory measurement'));

function base(provider: string): Omit<StoragePort, 'get' | 'head' | 'list' | 'put'> {
  return {
    provider,
    capabilities: {
      rangeReads: false,
      presignedPost: false,
      uploadUrlEnforcesContentType: false,
      uploadUrlEnforcesMaxBytes: false,
      uploadUrlExpiry: 'requested',
      publicUrls: false,
      downloadAs: false,
      unicodeKeys: true,
      conditionalPut: true,
    },
    delete: notUsed,
    copy: notUsed,
    createUploadUrl: notUsed,
    createDownloadUrl: notUsed,
    publicUrl: notUsed,
    close: async () => undefined,
  } as unknown as Omit<StoragePort, 'get' | 'head' | 'list' | 'put'>;
}

/**
 * A source of `count` objects computed from their index and a target that keeps nothing: neither
 * holds memory per object, so what grows while copying between them is the command's own.
 */
export function generatedPair(count: number): { from: StoragePort; to: StoragePort } {
  const info = (key: string): ObjectInfo => ({
    key,
    size: BODY.byteLength,
    contentType: 'text/plain',
    metadata: {},
    etag: undefined,
    lastModified: DATE,
  });
  const from = {
    ...base('generated'),
    async list(options: { cursor?: string; limit?: number } = {}): Promise<ListPage> {
      const start = Number(options.cursor ?? 0);
      const end = Math.min(count, start + (options.limit ?? 1000));
      const items = Array.from({ length: end - start }, (_, i) => ({ key: keyOf(start + i), size: BODY.byteLength, lastModified: DATE }));
      return { items, cursor: end < count ? String(end) : undefined };
    },
    async head(key: string) {
      return info(key);
    },
    async get(key: string) {
      return storedObject(info(key), bodyToStream(BODY));
    },
    put: notUsed,
  } as unknown as StoragePort;
  const to = {
    ...base('sink'),
    async list(): Promise<ListPage> {
      return { items: [] };
    },
    async head() {
      return null;
    },
    async get() {
      throw new Error('the sink keeps nothing');
    },
    async put(key: string, body: Parameters<StoragePort['put']>[1]) {
      await bodyToBytes(body);
      return info(key);
    },
  } as unknown as StoragePort;
  return { from, to };
}
