/**
 * `@switchyard/local/adapters`: how `createProviders` configures and opens the embedded adapters
 * (`SWITCHYARD_<PORT>=local`, the default). It is loaded to plan every app's configuration, so it
 * imports no adapter code: each `create` loads its own (PGlite only when the db is opened).
 */
import type { AuthPort, DbPort, PubSubPort, StoragePort } from '@switchyard/core/adapter';
import { describeAdapter, type EnvReader, setting } from '@switchyard/core/adapter';
import type { LocalDbOptions } from './db.js';
import { localAuthMailbox, localStorageHandler } from './extras.js';
import type { LocalPubSubOptions } from './pubsub.js';
import type { LocalStorageOptions } from './storage/local-storage.js';

/** `iss` of the access tokens local auth issues as `createProviders` opens it (dual-run routes by it). */
export const LOCAL_AUTH_ISSUER = 'http://localhost/auth/v1';

const directory = setting.optional('SWITCHYARD_LOCAL_DIR', {
  description: 'where the embedded adapters keep their data: storage/, auth.json and db/ inside it',
  example: '.switchyard',
  default: '.switchyard',
});

const directoryOf = (value: string | undefined) => value ?? '.switchyard';

/** The options without the unset ones, so each factory applies its own default. */
function defined<T extends object>(options: T): T {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as T;
}

const storageSettings = {
  directory,
  baseUrl: setting.url('SWITCHYARD_LOCAL_BASE_URL', ['http:', 'https:'], {
    description: 'the absolute URL where the storage handler is mounted',
    example: 'http://localhost:3000/_storage',
    required: 'for signed URLs (createUploadUrl, createDownloadUrl) and public URLs',
  }),
  secret: setting.optional('SWITCHYARD_LOCAL_SECRET', {
    description: 'the key that signs storage URLs, at least 32 characters',
    example: 'output of openssl rand -hex 32',
    secret: true,
    default: 'a random key kept in <SWITCHYARD_LOCAL_DIR>/storage/.switchyard-secret',
  }),
  publicRead: setting.boolean('SWITCHYARD_LOCAL_PUBLIC_READ', false, {
    description: 'serve every object unsigned under <SWITCHYARD_LOCAL_BASE_URL>/p/ and enable publicUrl (a public bucket)',
    example: 'true',
  }),
  lockTimeoutMs: setting.integer(
    'SWITCHYARD_LOCAL_LOCK_TIMEOUT_MS',
    { min: 1, max: 600_000 },
    {
      description: 'how long a write waits for another writer of the same key before failing UNAVAILABLE, in ms',
      example: '10000',
      default: '10000',
    },
  ),
};

const storage = describeAdapter({
  name: 'local',
  port: 'storage',
  module: '@switchyard/local',
  description: 'Files in a directory, with HMAC-signed URLs served by a request handler on the app’s own server.',
  settings: storageSettings,
  options(values, env: EnvReader): LocalStorageOptions {
    if (values.secret !== undefined && values.secret.length < 32) {
      env.report(
        'SWITCHYARD_LOCAL_SECRET',
        'is shorter than 32 characters',
        'a random string of at least 32 characters (openssl rand -hex 32)',
      );
    }
    return defined({
      directory: `${directoryOf(values.directory)}/storage`,
      baseUrl: values.baseUrl,
      secret: values.secret,
      publicRead: values.publicRead || undefined,
      lockTimeoutMs: values.lockTimeoutMs,
    });
  },
  peers: () => [],
  async create(options, context): Promise<StoragePort> {
    const { createLocalStorage } = await import('./storage/index.js');
    const opened = await createLocalStorage({ ...options, onEvent: context.onEvent });
    context.provide(localStorageHandler, opened.handler);
    return opened;
  },
});

/** What the auth descriptor hands its factory: the mailbox is built when it opens. */
export interface LocalAuthSettings {
  dataFile: string;
  issuer: string;
  accessTokenTtl?: number;
  codeTtl?: number;
  /** Print each sign-in email to stdout. */
  printEmails: boolean;
}

const auth = describeAdapter({
  name: 'local',
  port: 'auth',
  module: '@switchyard/local',
  description: 'ES256 tokens signed locally, magic link and 6-digit code, a dev mailbox instead of email.',
  settings: {
    directory,
    accessTokenTtl: setting.integer(
      'SWITCHYARD_LOCAL_ACCESS_TOKEN_TTL',
      { min: 60, max: 86_400 },
      { description: 'how long an access token lives, in seconds', example: '3600', default: '3600' },
    ),
    codeTtl: setting.integer(
      'SWITCHYARD_LOCAL_CODE_TTL',
      { min: 60, max: 86_400 },
      { description: 'how long a sign-in code and link work, in seconds', example: '600', default: '600' },
    ),
    printEmails: setting.boolean('SWITCHYARD_LOCAL_PRINT_EMAILS', false, {
      description: 'print each sign-in email (code and link) to stdout',
      example: 'true',
    }),
  },
  options(values): LocalAuthSettings {
    return defined({
      dataFile: `${directoryOf(values.directory)}/auth.json`,
      issuer: LOCAL_AUTH_ISSUER,
      accessTokenTtl: values.accessTokenTtl,
      codeTtl: values.codeTtl,
      printEmails: values.printEmails,
    });
  },
  peers: () => [],
  issuer: (options) => options.issuer,
  async create({ printEmails, ...options }, context): Promise<AuthPort> {
    const { createLocalAuth, DevMailbox } = await import('./auth/index.js');
    const opened = await createLocalAuth({ ...options, mailbox: new DevMailbox({ print: printEmails }), onEvent: context.onEvent });
    context.provide(localAuthMailbox, opened.mailbox);
    return opened;
  },
});

// Postgres role names as asUser may set them (letters, digits, _ and $, not starting with a digit).
const ROLE = /^[a-z_][a-z0-9_$]*$/i;

const db = describeAdapter({
  name: 'local',
  port: 'db',
  module: '@switchyard/local',
  description: 'PGlite (PostgreSQL in WebAssembly) in a directory, with Supabase’s roles and auth.uid().',
  settings: {
    directory,
    allowedRoles: setting.optional('SWITCHYARD_LOCAL_DB_ROLES', {
      description: 'the roles asUser may switch to, comma-separated',
      example: 'anon,authenticated,service_role',
      default: 'anon, authenticated, service_role',
    }),
  },
  options(values, env: EnvReader): LocalDbOptions {
    const roles = values.allowedRoles?.split(',').map((role) => role.trim());
    if (roles?.some((role) => !ROLE.test(role))) {
      env.report('SWITCHYARD_LOCAL_DB_ROLES', 'is not a list of role names', 'role names separated by commas, e.g. anon,authenticated');
    }
    return defined({ dataDir: `${directoryOf(values.directory)}/db`, allowedRoles: roles });
  },
  peers: () => [],
  async create(options, context): Promise<DbPort> {
    const { createLocalDb } = await import('./db.js');
    return createLocalDb({ ...options, onEvent: context.onEvent });
  },
});

const pubsub = describeAdapter({
  name: 'local',
  port: 'pubsub',
  module: '@switchyard/local',
  description: 'An in-process bus with * patterns: one process only.',
  settings: {
    maxPayloadBytes: setting.integer(
      'SWITCHYARD_LOCAL_PUBSUB_MAX_PAYLOAD_BYTES',
      { min: 1, max: 64 * 1024 * 1024 },
      { description: 'the largest message, in bytes of JSON', example: '1048576', default: '1048576' },
    ),
  },
  options: (values): LocalPubSubOptions => defined({ maxPayloadBytes: values.maxPayloadBytes }),
  peers: () => [],
  async create(options, context): Promise<PubSubPort> {
    const { createLocalPubSub } = await import('./pubsub.js');
    return createLocalPubSub({ ...options, onEvent: context.onEvent });
  },
});

/** The embedded adapters, by port, for `createProviders`. */
export const adapters = { storage, auth, db, pubsub };
