import type { PortName } from '@switchyard/core/adapter';
import { type AdapterDescriptor, EnvReader, readSettings, settingDocs } from '@switchyard/core/adapter';
import { LOCAL_AUTH_ISSUER } from '@switchyard/local';
import { adapters } from '@switchyard/local/adapters';
import { describe, expect, it } from 'vitest';

const PORTS = ['storage', 'auth', 'db', 'pubsub'] as const;

/** What the descriptor of `port` makes of `env`: its factory's options and every problem reported. */
function configure(port: PortName, env: Record<string, string> = {}) {
  const descriptor = adapters[port] as AdapterDescriptor;
  const reader = new EnvReader(env);
  const options = descriptor.options(readSettings(descriptor.settings, reader), reader);
  return { options, problems: reader.problems.map((p) => `${p.variable} ${p.problem}`), details: reader.problems, descriptor };
}

describe('local adapters: descriptors', () => {
  it('serve every port as `local` from @switchyard/local, each documented in one line', () => {
    for (const port of PORTS) {
      expect(adapters[port]).toMatchObject({ name: 'local', port, module: '@switchyard/local' });
      expect(adapters[port].description).not.toContain('\n');
      for (const doc of settingDocs(adapters[port])) {
        expect(doc.variable).toMatch(/^SWITCHYARD_LOCAL_[A-Z_]+$/);
        expect(doc.description.length).toBeGreaterThan(10);
        expect(doc.example).not.toBe('');
      }
    }
  });

  it('default every port to the data under .switchyard', () => {
    for (const port of PORTS) expect(configure(port).problems).toEqual([]);
    expect(configure('storage').options).toEqual({ directory: '.switchyard/storage' });
    expect(configure('auth').options).toEqual({ dataFile: '.switchyard/auth.json', issuer: LOCAL_AUTH_ISSUER, printEmails: false });
    expect(configure('db').options).toEqual({ dataDir: '.switchyard/db' });
    expect(configure('pubsub').options).toEqual({});
  });

  it('read the local settings: one directory for storage, auth and db', () => {
    const secret = 'x'.repeat(32);
    const env = {
      SWITCHYARD_LOCAL_DIR: '/var/app',
      SWITCHYARD_LOCAL_BASE_URL: 'http://localhost:3000/_storage',
      SWITCHYARD_LOCAL_SECRET: secret,
    };
    expect(configure('storage', env).options).toEqual({ directory: '/var/app/storage', baseUrl: 'http://localhost:3000/_storage', secret });
    expect(configure('auth', env).options).toMatchObject({ dataFile: '/var/app/auth.json' });
    expect(configure('db', env).options).toEqual({ dataDir: '/var/app/db' });
  });

  it('mark only the signing secret as secret', () => {
    const secrets = PORTS.flatMap((port) => settingDocs(adapters[port]).filter((doc) => doc.secret)).map((doc) => doc.variable);
    expect(secrets).toEqual(['SWITCHYARD_LOCAL_SECRET']);
  });

  it('need no package beyond @switchyard/local', () => {
    for (const port of PORTS) expect(adapters[port].peers(configure(port).options as never)).toEqual([]);
  });

  it('give local auth the issuer dual-run routes by', () => {
    expect(LOCAL_AUTH_ISSUER).toBe('http://localhost/auth/v1');
    expect(adapters.auth.issuer?.(configure('auth', { SWITCHYARD_LOCAL_DIR: '/x' }).options as never)).toBe(LOCAL_AUTH_ISSUER);
  });
});

describe('local storage settings', () => {
  it('refuses a secret shorter than 32 characters without echoing it', () => {
    const { problems, details } = configure('storage', { SWITCHYARD_LOCAL_SECRET: 'short-secret' });
    expect(problems).toEqual(['SWITCHYARD_LOCAL_SECRET is shorter than 32 characters']);
    expect(details[0]?.expected).toBe('a random string of at least 32 characters (openssl rand -hex 32)');
    expect(JSON.stringify(details)).not.toContain('short-secret');
  });

  it('refuses a base URL that is not http or https, without echoing it', () => {
    const { problems, details } = configure('storage', { SWITCHYARD_LOCAL_BASE_URL: 'ftp://user:hunter2@host/_storage' });
    expect(problems).toEqual(['SWITCHYARD_LOCAL_BASE_URL is not a valid URL']);
    expect(details[0]?.expected).toBe('the absolute URL where the storage handler is mounted, e.g. http://localhost:3000/_storage');
    expect(JSON.stringify(details)).not.toContain('hunter2');
  });

  it('reads public read and the lock timeout', () => {
    const env = { SWITCHYARD_LOCAL_PUBLIC_READ: 'true', SWITCHYARD_LOCAL_LOCK_TIMEOUT_MS: '2500' };
    expect(configure('storage', env).options).toEqual({ directory: '.switchyard/storage', publicRead: true, lockTimeoutMs: 2500 });
    expect(configure('storage', { SWITCHYARD_LOCAL_PUBLIC_READ: 'no' }).options).toEqual({ directory: '.switchyard/storage' });
    expect(configure('storage', { SWITCHYARD_LOCAL_PUBLIC_READ: 'maybe', SWITCHYARD_LOCAL_LOCK_TIMEOUT_MS: '0' }).problems).toEqual([
      'SWITCHYARD_LOCAL_PUBLIC_READ is "maybe"',
      'SWITCHYARD_LOCAL_LOCK_TIMEOUT_MS is "0"',
    ]);
  });
});

describe('local auth settings', () => {
  it('reads token lifetimes and printing', () => {
    const env = { SWITCHYARD_LOCAL_ACCESS_TOKEN_TTL: '900', SWITCHYARD_LOCAL_CODE_TTL: '300', SWITCHYARD_LOCAL_PRINT_EMAILS: '1' };
    expect(configure('auth', env).options).toEqual({
      dataFile: '.switchyard/auth.json',
      issuer: LOCAL_AUTH_ISSUER,
      accessTokenTtl: 900,
      codeTtl: 300,
      printEmails: true,
    });
  });

  it('refuses lifetimes out of range', () => {
    expect(configure('auth', { SWITCHYARD_LOCAL_ACCESS_TOKEN_TTL: '10', SWITCHYARD_LOCAL_CODE_TTL: '1.5' }).problems).toEqual([
      'SWITCHYARD_LOCAL_ACCESS_TOKEN_TTL is "10"',
      'SWITCHYARD_LOCAL_CODE_TTL is "1.5"',
    ]);
  });
});

describe('local db and pub/sub settings', () => {
  it('reads the roles asUser may switch to', () => {
    expect(configure('db', { SWITCHYARD_LOCAL_DB_ROLES: 'anon, authenticated,admin_ro' }).options).toEqual({
      dataDir: '.switchyard/db',
      allowedRoles: ['anon', 'authenticated', 'admin_ro'],
    });
    expect(configure('db', { SWITCHYARD_LOCAL_DB_ROLES: 'anon;drop table x' }).problems).toEqual([
      'SWITCHYARD_LOCAL_DB_ROLES is not a list of role names',
    ]);
  });

  it('reads the largest pub/sub message', () => {
    expect(configure('pubsub', { SWITCHYARD_LOCAL_PUBSUB_MAX_PAYLOAD_BYTES: '4096' }).options).toEqual({ maxPayloadBytes: 4096 });
    expect(configure('pubsub', { SWITCHYARD_LOCAL_PUBSUB_MAX_PAYLOAD_BYTES: 'lots' }).problems).toEqual([
      'SWITCHYARD_LOCAL_PUBSUB_MAX_PAYLOAD_BYTES is "lots"',
    ]);
  });
});
