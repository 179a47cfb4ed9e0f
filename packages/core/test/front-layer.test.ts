import { inspect } from 'node:util';
import {
  type DbQuerier,
  dbPort,
  type OperationEvent,
  pubSubPort,
  type StorageDriver,
  SwitchyardError,
  type SwitchyardEvent,
  storagePort,
} from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';

function recordingDriver(overrides: Partial<StorageDriver> = {}) {
  const calls: string[] = [];
  const driver: StorageDriver = {
    capabilities: {
      rangeReads: false,
      presignedPost: false,
      uploadUrlEnforcesContentType: true,
      uploadUrlEnforcesMaxBytes: true,
      uploadUrlExpiry: 'requested',
      publicUrls: false,
      downloadAs: true,
      unicodeKeys: false,
      conditionalPut: false,
      keyCharacters: 'A-Za-z0-9/._-',
    },
    put: async (key, _body, options) => {
      calls.push(`put ${key} ${JSON.stringify(options)}`);
      return { key, size: 1, contentType: 'x/y', metadata: {}, lastModified: new Date() };
    },
    get: async () => {
      throw new Error('not used');
    },
    head: async (key) => {
      calls.push(`head ${key}`);
      return null;
    },
    delete: async (keys) => {
      calls.push(`delete ${keys.join(',')}`);
    },
    list: async () => ({ items: [] }),
    copy: async () => undefined,
    createUploadUrl: async (key, options) => {
      calls.push(`upload ${key} ${options.expiresIn}`);
      return { url: 'u', method: 'PUT', headers: {}, fields: {}, expiresAt: new Date() };
    },
    createDownloadUrl: async (key, options) => {
      calls.push(`download ${key} ${options.expiresIn}`);
      return { url: 'u', expiresAt: new Date() };
    },
    publicUrl: async () => 'u',
    close: async () => undefined,
    ...overrides,
  };
  return { driver, calls };
}

describe('the storage front layer', () => {
  it('checks input once, against core rules and the driver capabilities, before the driver sees it', async () => {
    const { driver, calls } = recordingDriver();
    const port = storagePort(driver, { provider: 'test' });
    await expect(port.put('../x', 'a')).rejects.toMatchObject({ code: 'INVALID_INPUT', provider: 'test', operation: 'put' });
    await expect(port.head('фото')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(port.head('a b')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('" "') });
    await expect(port.put('ok', 42 as unknown as string)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(port.put('ok', 'a', { ifNoneMatch: '*' })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(port.get('ok', { range: { start: 0 } })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(port.createUploadUrl('ok', { method: 'POST' })).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    await expect(port.createDownloadUrl('ok', { downloadAs: 'a\nb' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(port.publicUrl('ok')).rejects.toMatchObject({ code: 'UNSUPPORTED' });
    expect(calls).toEqual([]);
  });

  it('hands the driver resolved options: Blob size and type, default expiries, a list of keys', async () => {
    const { driver, calls } = recordingDriver();
    const port = storagePort(driver, { provider: 'test' });
    await port.put('a.txt', new Blob(['hello'], { type: 'text/plain' }));
    await port.createUploadUrl('a.txt');
    await port.createDownloadUrl('a.txt');
    await port.delete('a.txt');
    await port.delete([]);
    expect(calls).toEqual([
      'put a.txt {"contentLength":5,"contentType":"text/plain"}',
      'upload a.txt 900',
      'download a.txt 3600',
      'delete a.txt',
    ]);
  });

  it('reports each call once, errors included, and turns an unknown throw into a SwitchyardError', async () => {
    const events: SwitchyardEvent[] = [];
    const boom = new TypeError('socket hang up');
    const { driver } = recordingDriver({
      head: async () => {
        throw boom;
      },
    });
    const port = storagePort(driver, { provider: 'test', onEvent: (e) => events.push(e) });
    const error = await port.head('a').catch((e: unknown) => e);
    expect(SwitchyardError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'UNAVAILABLE', retryable: false, cause: boom, operation: 'head' });
    await port.put('a', 'x');
    const operations = events.filter((e): e is OperationEvent => e.type === 'operation');
    expect(operations.map((e) => [e.operation, e.error?.code])).toEqual([
      ['head', 'UNAVAILABLE'],
      ['put', undefined],
    ]);
  });

  it('prints only its summary', () => {
    const { driver } = recordingDriver();
    const secretful = Object.assign(driver, { secret: 'very-secret-value' });
    const port = storagePort(secretful, { provider: 'test', summary: { bucket: 'photos' } });
    expect(inspect(port, { depth: Number.POSITIVE_INFINITY })).not.toContain('very-secret-value');
    expect(JSON.parse(JSON.stringify(port))).toEqual({ provider: 'test', port: 'storage', bucket: 'photos' });
  });
});

describe('the db front layer', () => {
  it('builds one and maybeOne on the driver query, inside transactions too', async () => {
    let rows: Record<string, unknown>[] = [];
    const querier: DbQuerier = {
      query: async <Row>() => ({ rows: rows as Row[], rowCount: rows.length }),
      transaction: async <R>(fn: (tx: DbQuerier) => Promise<R>): Promise<R> => fn(querier),
    };
    const events: SwitchyardEvent[] = [];
    const port = dbPort(
      { ...querier, capabilities: { rowLevelSecurity: true }, asUser: (_user, fn) => fn(querier), close: async () => undefined },
      { provider: 'test', onEvent: (e) => events.push(e) },
    );
    const { sql } = await import('@switchyard/core/adapter');
    await expect(port.one(sql`select 1`)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // One call, one event: `one` is not also reported as the `maybeOne` and `query` it is built on.
    expect(events.map((e) => (e as OperationEvent).operation)).toEqual(['one']);
    rows = [{ a: 1 }, { a: 2 }];
    await expect(port.maybeOne(sql`select 1`)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    rows = [{ a: 1 }];
    expect(await port.transaction((tx) => tx.one(sql`select 1`))).toEqual({ a: 1 });
    expect(await port.asUser({ id: 'u' }, (tx) => tx.maybeOne(sql`select 1`))).toEqual({ a: 1 });
    await expect(port.query('select 1' as never)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });

  it("rethrows what the app's own callback threw as it is, and wraps only what the driver threw", async () => {
    const querier: DbQuerier = {
      query: async () => {
        throw new TypeError('driver bug');
      },
      transaction: async <R>(fn: (tx: DbQuerier) => Promise<R>): Promise<R> => fn(querier),
    };
    const port = dbPort(
      { ...querier, capabilities: { rowLevelSecurity: true }, asUser: (_user, fn) => fn(querier), close: async () => undefined },
      { provider: 'test' },
    );
    const { sql } = await import('@switchyard/core/adapter');
    const mine = new Error('the app changed its mind');
    await expect(port.transaction(async () => Promise.reject(mine))).rejects.toBe(mine);
    await expect(port.asUser({ id: 'u' }, async () => Promise.reject(mine))).rejects.toBe(mine);
    await expect(port.transaction((tx) => tx.query(sql`select 1`))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      cause: { message: 'driver bug' },
    });
  });
});

describe('the pub/sub front layer', () => {
  it('gives the driver an id and the encoded payload, and refuses patterns it does not declare', async () => {
    const sent: unknown[] = [];
    const port = pubSubPort(
      {
        capabilities: { patternSubscribe: false, maxPayloadBytes: 16, orderedPerChannel: true },
        publish: async (channel, data, message) => {
          sent.push([channel, message.json, typeof message.id]);
          return { id: message.id, channel, data, publishedAt: new Date() };
        },
        subscribe: async () => ({ unsubscribe: async () => undefined }),
        close: async () => undefined,
      },
      { provider: 'test' },
    );
    await port.publish('room', { n: 1 });
    expect(sent).toEqual([['room', '{"n":1}', 'string']]);
    await expect(port.publish('room', 'x'.repeat(40))).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(port.subscribe({ pattern: 'room:*' }, () => undefined)).rejects.toMatchObject({ code: 'UNSUPPORTED' });
  });
});
