import { randomBytes } from 'node:crypto';
import { CognitoIdentityProviderClient, CreateUserPoolClientCommand } from '@aws-sdk/client-cognito-identity-provider';
import { adapters, redisPresence } from '@switchyard/aws/adapters';
import { type AdapterDescriptor, Extras, type Message, type Settings, sql } from '@switchyard/core/adapter';
import { installSupabaseCompat } from '@switchyard/postgres';
import { REGION, startCognitoLocal } from '@switchyard/test-peers/cognito';
import { createTestDatabase } from '@switchyard/test-peers/postgres';
import { eventually, REDIS_URL, randomPrefix } from '@switchyard/test-peers/redis';
import { S3RVER_CREDENTIALS, startS3rver } from '@switchyard/test-peers/s3rver';
import { describe, expect, it } from 'vitest';
import { plan } from './adapters-plan.js';

/** What the adapters offered beside their ports, as `createProviders` collects it. */
const extras = new Extras();

/** Reads `env` through the descriptor, then opens the port as createProviders will. */
async function open<S extends Settings, O, P>(descriptor: AdapterDescriptor<S, O, P>, env: Record<string, string>): Promise<P> {
  const planned = plan(descriptor, env);
  expect(planned.problems).toEqual([]);
  return descriptor.create(planned.options, { provide: (key, value) => extras.provide(key, value) });
}

// Each descriptor's `create` against the real local service the package's other tests use.
describe('adapters.<port>.create', () => {
  it('opens S3 storage on s3rver', async () => {
    const server = await startS3rver();
    try {
      const storage = await open(adapters.storage, {
        AWS_REGION: 'us-east-1',
        AWS_S3_BUCKET: server.bucket,
        AWS_S3_ENDPOINT: server.endpoint,
        AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
        AWS_S3_CHECKSUMS: 'when_required',
        AWS_S3_POST_POLICY: 'not-enforced',
        AWS_S3_CONDITIONAL_WRITES: 'not-enforced',
      });
      expect(storage.provider).toBe('aws');
      await storage.put('adapters/hello.txt', new TextEncoder().encode('hello'), { contentType: 'text/plain' });
      const object = await storage.get('adapters/hello.txt');
      expect(await object.text()).toBe('hello');
      await storage.delete('adapters/hello.txt');
    } finally {
      await server.stop();
    }
  });

  it('opens Cognito auth on cognito-local', async () => {
    const local = await startCognitoLocal();
    try {
      const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
      const sdk = new CognitoIdentityProviderClient({ region: REGION, endpoint: local.url, credentials });
      const created = await sdk.send(new CreateUserPoolClientCommand({ UserPoolId: local.userPoolId, ClientName: 'switchyard' }));
      const env = {
        AWS_REGION: REGION,
        COGNITO_USER_POOL_ID: local.userPoolId,
        COGNITO_CLIENT_ID: created.UserPoolClient?.ClientId ?? '',
        COGNITO_ENDPOINT: local.url,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      };
      expect(plan(adapters.auth, env).issuer).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${local.userPoolId}`);
      const auth = await open(adapters.auth, env);
      try {
        const email = `ada-${randomBytes(4).toString('hex')}@example.com`;
        const user = await auth.admin.createUser({ email, emailVerified: true });
        expect(await auth.admin.getUserByEmail(email)).toMatchObject({ id: user.id, email });
      } finally {
        await auth.close();
      }
    } finally {
      await local.stop();
    }
  });

  it('opens the RDS database on the local PostgreSQL through DATABASE_URL', async () => {
    const database = await createTestDatabase({ prepare: installSupabaseCompat });
    try {
      const url = new URL(database.connectionString);
      url.searchParams.set('sslmode', 'disable');
      const db = await open(adapters.db, { DATABASE_URL: url.toString(), RDS_POOL_MAX: '2' });
      try {
        expect(await db.one<{ n: number }>(sql`select 1::int as n`)).toEqual({ n: 1 });
      } finally {
        await db.close();
      }
    } finally {
      await database.drop();
    }
  });

  it('opens Redis pub/sub on the local Redis, offering presence beside it', async () => {
    const pubsub = await open(adapters.pubsub, { REDIS_URL, REDIS_KEY_PREFIX: randomPrefix(), REDIS_PRESENCE_TTL_SECONDS: '30' });
    try {
      const received: Message[] = [];
      const subscription = await pubsub.subscribe('adapters', (message) => {
        received.push(message);
      });
      await pubsub.publish('adapters', { hello: 'world' });
      await eventually('the message', async () => received.length === 1);
      expect(received[0]?.data).toEqual({ hello: 'world' });
      await subscription.unsubscribe();
      expect(extras.get(redisPresence)).toBe((pubsub as { presence?: unknown }).presence);
      expect(extras.get(redisPresence)).toBeDefined();
    } finally {
      await pubsub.close();
    }
  });
});
