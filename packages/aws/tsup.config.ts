import type { Plugin } from 'esbuild';
import { copiedIntoEachService, packageConfig } from '../../tsup.shared.js';

/**
 * A descriptor's `create` imports its service's entry as a file of its own. Bundled instead, the
 * service's code would move into a chunk that both `adapters` and the service entry import, and an
 * app importing the service would load one more file (about 0.25 ms of cold start, bench row 6).
 */
const serviceEntries: Plugin = {
  name: 'service-entries',
  setup(build) {
    const extension = build.initialOptions.outExtension?.['.js'] ?? '.js';
    build.onResolve({ filter: /^\.\.\/[\w-]+\/index\.js$/ }, ({ path, importer, kind }) => {
      if (kind !== 'dynamic-import' || !importer.includes('/src/descriptors/')) return undefined;
      // descriptors/ is bundled into dist/adapters.js, beside the service folders.
      return { path: path.replace(/^\.\.\//, './').replace(/\.js$/, extension), external: true };
    });
  },
};

export default packageConfig({
  // One entry per service, so an app (or a Lambda) loads only the SDK client it uses.
  entry: {
    // What createProviders reads first: settings and descriptors only; each `create` imports its
    // adapter on demand: the adapter's own subpath (see serviceEntries).
    adapters: 'src/adapters.ts',
    's3/index': 'src/s3/index.ts',
    'cognito/index': 'src/cognito/index.ts',
    'cognito-triggers/index': 'src/cognito-triggers/index.ts',
    'rds/index': 'src/rds/index.ts',
    // The inlined RDS CAs, for apps that build their own TLS options and for bundles without certs/.
    'rds/ca': 'src/rds/ca.ts',
    'redis/index': 'src/redis/index.ts',
  },
  splitting: true,
  // The presence extra's key is compared by name, so a copy in `adapters` and one in `redis` are
  // the same key.
  esbuildPlugins: [serviceEntries, copiedIntoEachService(import.meta.dirname, 'redis/extras.ts')],
  // The RDS CA bundle is inlined as a string (see src/rds/ca.ts).
  loader: { '.pem': 'text' },
  // CommonJS has no import.meta: there src/rds/ca-file.ts finds itself by __filename instead.
  esbuildOptions(options, { format }) {
    if (format === 'cjs') options.define = { ...options.define, 'import.meta.url': 'undefined' };
  },
});
