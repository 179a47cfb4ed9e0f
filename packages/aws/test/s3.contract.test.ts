import { describeStoragePort } from '@switchyard/contract-tests';
import { createS3Storage } from '../src/s3/index.js';
import { startS3rver } from './s3-server.js';

// Signed PUT uploads: s3rver ignores POST policies (and their expiry) entirely, so the default form
// POST could not show that an expired or mistyped upload is refused. With a signed PUT, s3rver checks
// the expiry and the SigV4 gate checks the signature, which covers the content-type header.
describeStoragePort('S3Storage on s3rver (signed PUT uploads)', async () => {
  const server = await startS3rver();
  const port = await createS3Storage(server.options({ presign: 'put' }));
  return {
    port,
    harness: undefined,
    teardown: async () => {
      await port.close();
      await server.stop();
    },
  };
});
