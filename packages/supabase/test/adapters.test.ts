import { EnvReader, readSettings, settingDocs } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';
import { adapters, supabaseAuth, supabaseDb, supabaseRealtime, supabaseStorage } from '../src/adapters.js';

/** What `createProviders` does with one descriptor: read its settings, then its options, collecting problems. */
function plan<O>(descriptor: { settings: never; options(values: never, env: EnvReader): O } | object, env: Record<string, string>) {
  const d = descriptor as { settings: Parameters<typeof readSettings>[0]; options(values: unknown, env: EnvReader): O };
  const reader = new EnvReader(env);
  const options = d.options(readSettings(d.settings, reader), reader);
  return { options, problems: reader.problems };
}

const URL_ = 'https://abc.supabase.co/';
const CA = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';

describe('@switchyard/supabase/adapters', () => {
  it('serves every port under the built-in name supabase, each from its own subpath', () => {
    expect(Object.fromEntries(Object.entries(adapters).map(([port, d]) => [port, [d.name, d.port, d.module]]))).toEqual({
      storage: ['supabase', 'storage', '@switchyard/supabase/storage'],
      auth: ['supabase', 'auth', '@switchyard/supabase/auth'],
      db: ['supabase', 'db', '@switchyard/supabase/db'],
      pubsub: ['supabase', 'pubsub', '@switchyard/supabase/realtime'],
    });
  });

  it('marks keys, the JWT secret and the database URL (it holds the password) as secrets, and nothing else', () => {
    const secrets = Object.values(adapters)
      .flatMap((d) => settingDocs(d))
      .filter((doc) => doc.secret)
      .map((doc) => doc.variable);
    expect([...new Set(secrets)].sort()).toEqual([
      'SUPABASE_ANON_KEY',
      'SUPABASE_DB_URL',
      'SUPABASE_JWT_SECRET',
      'SUPABASE_SERVICE_ROLE_KEY',
    ]);
  });

  it('documents every setting with a description and an example', () => {
    for (const doc of Object.values(adapters).flatMap((d) => settingDocs(d))) {
      expect(doc.variable).toMatch(/^SUPABASE_/);
      expect(doc.description.length, doc.variable).toBeGreaterThan(10);
      expect(doc.example.length, doc.variable).toBeGreaterThan(0);
    }
  });
});

describe('supabase storage settings', () => {
  const base = { SUPABASE_URL: URL_, SUPABASE_SERVICE_ROLE_KEY: 'service', SUPABASE_STORAGE_BUCKET: 'uploads' };

  it('reads the bucket and keys, leaving unset options to the factory', () => {
    const { options, problems } = plan(supabaseStorage, base);
    expect(problems).toEqual([]);
    expect(options).toEqual({ url: URL_, serviceRoleKey: 'service', bucket: 'uploads' });
    expect(supabaseStorage.peers(options)).toEqual([]);
  });

  it('reads the limits, the timeout, the public bucket and the upload URL lifetime', () => {
    const { options, problems } = plan(supabaseStorage, {
      ...base,
      SUPABASE_STORAGE_MAX_KEY_SEGMENT_BYTES: '255',
      SUPABASE_STORAGE_FILE_SIZE_LIMIT: '52428800',
      SUPABASE_STORAGE_TIMEOUT_MS: '10000',
      SUPABASE_STORAGE_PUBLIC_BUCKET: 'true',
      SUPABASE_STORAGE_UPLOAD_URL_LIFETIME_SECONDS: '3600',
    });
    expect(problems).toEqual([]);
    expect(options).toMatchObject({
      maxKeySegmentBytes: 255,
      fileSizeLimit: 52_428_800,
      timeoutMs: 10_000,
      publicBucket: true,
      uploadUrlLifetimeSeconds: 3600,
    });
  });

  it('refuses values that are not positive whole numbers, saying what they should be', () => {
    const { problems } = plan(supabaseStorage, {
      ...base,
      SUPABASE_STORAGE_MAX_KEY_SEGMENT_BYTES: 'lots',
      SUPABASE_STORAGE_TIMEOUT_MS: '0',
    });
    expect(problems).toEqual([
      {
        variable: 'SUPABASE_STORAGE_MAX_KEY_SEGMENT_BYTES',
        problem: 'is "lots"',
        expected: 'a positive whole number: 255 for self-hosted Storage on its file backend',
      },
      {
        variable: 'SUPABASE_STORAGE_TIMEOUT_MS',
        problem: 'is "0"',
        expected: 'a positive whole number: milliseconds a request may go without progress',
      },
    ]);
  });

  it('lists every missing or invalid variable at once, without echoing values', () => {
    const { problems } = plan(supabaseStorage, { SUPABASE_URL: 'not a url' });
    expect(problems).toEqual([
      { variable: 'SUPABASE_URL', problem: 'is not a valid URL', expected: 'the project URL, e.g. https://abcdefgh.supabase.co' },
      {
        variable: 'SUPABASE_SERVICE_ROLE_KEY',
        problem: 'is not set',
        expected: 'the service_role key from the project API settings (server only)',
      },
      { variable: 'SUPABASE_STORAGE_BUCKET', problem: 'is not set', expected: 'the Storage bucket name' },
    ]);
  });
});

describe('supabase auth settings', () => {
  const base = { SUPABASE_URL: URL_, SUPABASE_SERVICE_ROLE_KEY: 'service', SUPABASE_ANON_KEY: 'anon' };

  it('reads the keys and gives the issuer of the project tokens', () => {
    const { options, problems } = plan(supabaseAuth, base);
    expect(problems).toEqual([]);
    expect(options).toEqual({ url: URL_, anonKey: 'anon', serviceRoleKey: 'service' });
    expect(supabaseAuth.issuer?.(options)).toBe('https://abc.supabase.co/auth/v1');
    expect(supabaseAuth.issuer?.({ ...options, url: 'https://abc.supabase.co///' })).toBe('https://abc.supabase.co/auth/v1');
    expect(supabaseAuth.peers(options)).toEqual(['@supabase/supabase-js']);
  });

  it('reads the JWT secret, the redirect, the request timeout and the key-set settings', () => {
    const { options, problems } = plan(supabaseAuth, {
      ...base,
      SUPABASE_JWT_SECRET: 'secret',
      SUPABASE_AUTH_REDIRECT_TO: 'https://app.example.com/callback',
      SUPABASE_AUTH_REQUEST_TIMEOUT_MS: '5000',
      SUPABASE_AUTH_JWKS_URL: 'https://keys.example.com/jwks.json',
      SUPABASE_AUTH_JWKS_MAX_AGE_SECONDS: '300',
      SUPABASE_AUTH_JWKS_STALE_IF_ERROR_SECONDS: '1800',
      SUPABASE_AUTH_JWKS_FETCH_TIMEOUT_MS: '2000',
      SUPABASE_AUTH_JWKS_COOLDOWN_MS: '30000',
    });
    expect(problems).toEqual([]);
    expect(options).toEqual({
      url: URL_,
      anonKey: 'anon',
      serviceRoleKey: 'service',
      jwtSecret: 'secret',
      redirectTo: 'https://app.example.com/callback',
      requestTimeoutMs: 5000,
      jwksCooldownMs: 30_000,
      keySet: { url: 'https://keys.example.com/jwks.json', maxAgeSeconds: 300, staleIfErrorSeconds: 1800, fetchTimeoutMs: 2000 },
    });
  });

  it('reports the missing keys and gives no issuer without a URL', () => {
    const { options, problems } = plan(supabaseAuth, {});
    expect(problems.map((p) => p.variable)).toEqual(['SUPABASE_URL', 'SUPABASE_ANON_KEY', 'SUPABASE_SERVICE_ROLE_KEY']);
    expect(problems[1]?.expected).toBe('the anon key from the project API settings');
    expect(supabaseAuth.issuer?.(options)).toBeUndefined();
  });
});

describe('supabase db settings', () => {
  const base = { SUPABASE_DB_URL: 'postgres://postgres@db.abc.supabase.co:5432/postgres' };

  it('reads the connection string and leaves TLS to the adapter default (sslmode=require)', () => {
    const { options, problems } = plan(supabaseDb, base);
    expect(problems).toEqual([]);
    expect(options).toEqual({ connectionString: base.SUPABASE_DB_URL });
    expect(supabaseDb.peers(options)).toEqual([]);
  });

  it('passes the timeouts, refusing 0', () => {
    const { options, problems } = plan(supabaseDb, {
      ...base,
      SUPABASE_DB_CONNECT_TIMEOUT_MS: '3000',
      SUPABASE_DB_QUERY_TIMEOUT_MS: '40000',
    });
    expect(problems).toEqual([]);
    expect(options).toMatchObject({ connectionTimeoutMs: 3000, queryTimeoutMs: 40_000 });
    expect(plan(supabaseDb, { ...base, SUPABASE_DB_QUERY_TIMEOUT_MS: '0' }).problems).toEqual([
      { variable: 'SUPABASE_DB_QUERY_TIMEOUT_MS', problem: 'is "0"', expected: 'a positive whole number of milliseconds' },
    ]);
  });

  it('verifies the server against SUPABASE_DB_CA when it is set, and refuses what is not a PEM certificate', () => {
    expect(plan(supabaseDb, { ...base, SUPABASE_DB_CA: CA })).toEqual({
      options: { ...{ connectionString: base.SUPABASE_DB_URL }, ssl: { ca: CA } },
      problems: [],
    });
    expect(plan(supabaseDb, { ...base, SUPABASE_DB_CA: '/etc/ca.pem' }).problems).toEqual([
      {
        variable: 'SUPABASE_DB_CA',
        problem: 'is not a PEM certificate',
        expected: 'the PEM text of the SSL certificate from Dashboard → Database settings',
      },
    ]);
  });

  it('reads the mode, the pool size, the statement timeout and the roles asUser may take', () => {
    const { options, problems } = plan(supabaseDb, {
      ...base,
      SUPABASE_DB_MODE: 'transaction-pooler',
      SUPABASE_DB_MAX_CONNECTIONS: '4',
      SUPABASE_DB_STATEMENT_TIMEOUT_MS: '0',
      SUPABASE_DB_ALLOWED_ROLES: 'anon, authenticated',
    });
    expect(problems).toEqual([]);
    expect(options).toMatchObject({
      mode: 'transaction-pooler',
      maxConnections: 4,
      statementTimeoutMs: 0,
      allowedRoles: ['anon', 'authenticated'],
    });
    expect(plan(supabaseDb, { ...base, SUPABASE_DB_MODE: 'session' }).problems).toEqual([
      { variable: 'SUPABASE_DB_MODE', problem: 'is "session"', expected: 'one of direct, transaction-pooler' },
    ]);
  });

  it('requires a postgres URL and never echoes it (it holds the password)', () => {
    expect(plan(supabaseDb, {}).problems).toEqual([
      {
        variable: 'SUPABASE_DB_URL',
        problem: 'is not set',
        expected:
          'the Postgres connection string from the project database settings, e.g. postgresql://postgres.abcdefgh:password@aws-0-eu-west-1.pooler.supabase.com:6543/postgres',
      },
    ]);
    const { problems } = plan(supabaseDb, { SUPABASE_DB_URL: 'mysql://user:hunter2@host/db' });
    expect(problems.map((p) => p.problem)).toEqual(['is not a valid URL']);
    expect(JSON.stringify(problems)).not.toContain('hunter2');
  });
});

describe('supabase realtime settings', () => {
  const base = { SUPABASE_URL: URL_, SUPABASE_SERVICE_ROLE_KEY: 'service' };

  it('reads the key and the timeout', () => {
    const { options, problems } = plan(supabaseRealtime, { ...base, SUPABASE_REALTIME_TIMEOUT_MS: '5000' });
    expect(problems).toEqual([]);
    expect(options).toEqual({ url: URL_, key: 'service', timeoutMs: 5000 });
  });

  it('reads the transport, event, payload limit, private channels and socket timings', () => {
    const { options, problems } = plan(supabaseRealtime, {
      ...base,
      SUPABASE_REALTIME_TRANSPORT: 'ws',
      SUPABASE_REALTIME_EVENT: 'change',
      SUPABASE_REALTIME_MAX_PAYLOAD_BYTES: '3072000',
      SUPABASE_REALTIME_PRIVATE: 'true',
      SUPABASE_REALTIME_MAX_RECONNECT_DELAY_MS: '2000',
      SUPABASE_REALTIME_HEARTBEAT_INTERVAL_MS: '15000',
    });
    expect(problems).toEqual([]);
    expect(options).toMatchObject({
      transport: 'ws',
      event: 'change',
      maxPayloadBytes: 3_072_000,
      private: true,
      maxReconnectDelayMs: 2000,
      heartbeatIntervalMs: 15_000,
    });
    expect(plan(supabaseRealtime, { ...base, SUPABASE_REALTIME_TRANSPORT: 'socket.io' }).problems).toEqual([
      { variable: 'SUPABASE_REALTIME_TRANSPORT', problem: 'is "socket.io"', expected: 'one of global, ws' },
    ]);
  });

  it('needs supabase-js, and ws when that is the transport', () => {
    const options = { url: URL_, key: 'service' };
    expect(supabaseRealtime.peers({ ...options, transport: 'ws' })).toEqual(['@supabase/supabase-js', 'ws']);
    expect(supabaseRealtime.peers({ ...options, transport: 'global' })).toEqual(['@supabase/supabase-js']);
    // This runtime (Node 24) has a global WebSocket, so the default needs no ws.
    expect(supabaseRealtime.peers(options)).toEqual(['@supabase/supabase-js']);
  });
});
