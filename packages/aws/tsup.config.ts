import { packageConfig } from '../../tsup.shared.js';

export default packageConfig({
  // One entry per service, so an app (or a Lambda) loads only the SDK client it uses.
  entry: {
    // What createProviders reads first: settings and descriptors only; each `create` imports its
    // adapter on demand, into the chunk the adapter's own subpath shares.
    adapters: 'src/adapters.ts',
    's3/index': 'src/s3/index.ts',
    'cognito/index': 'src/cognito/index.ts',
    'cognito-triggers/index': 'src/cognito-triggers/index.ts',
    'rds/index': 'src/rds/index.ts',
    'redis/index': 'src/redis/index.ts',
  },
  splitting: true,
  // The RDS CA bundle is inlined as a string (see src/rds/ca.ts).
  loader: { '.pem': 'text' },
});
