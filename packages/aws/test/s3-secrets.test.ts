import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import type { StoragePort } from '@switchyard/core/adapter';
import { afterAll, describe, expect, it } from 'vitest';
import { createS3Storage } from '../src/s3/index.js';

const secrets = {
  accessKeyId: 'AKIARECOGNISABLE0001',
  secretAccessKey: 'secret-access-key-recognisable-0002',
  sessionToken: 'session-token-recognisable-0003',
};
const pem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
// Any line of the PEM body would give the key away.
const pemLine = pem.split('\n')[3] ?? '';

describe('S3Storage printing', () => {
  const opened: StoragePort[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((storage) => storage.close()));
  });

  for (const withEvents of [false, true]) {
    it(`prints a summary without credentials or the CloudFront key${withEvents ? ' (with onEvent)' : ''}`, async () => {
      const storage = await createS3Storage({
        bucket: 'photos',
        region: 'eu-west-1',
        credentials: secrets,
        cloudFront: { domain: 'cdn.example.com', keyPairId: 'K2JCJMDEHXQW5F', privateKey: pem },
        ...(withEvents ? { onEvent: () => undefined } : {}),
      });
      opened.push(storage);
      const printed = [
        inspect(storage, { depth: 20, showHidden: true }),
        JSON.stringify(storage),
        JSON.stringify({ storage }),
        String(storage),
        `${storage}`,
      ];
      for (const text of printed) {
        for (const secret of [...Object.values(secrets), pemLine]) expect(text).not.toContain(secret);
      }
      expect(printed[0]).toContain('photos');
      expect(JSON.parse(printed[1] ?? '{}')).toMatchObject({ provider: 'aws', port: 'storage', bucket: 'photos', region: 'eu-west-1' });
    });
  }
});
