import { copiedIntoEachService, packageConfig } from '../../tsup.shared.js';

export default packageConfig({
  // One entry per service, so an app loads only what it uses; `adapters` holds the descriptors
  // `createProviders` reads, and imports each service's code only when it is opened.
  entry: {
    adapters: 'src/adapters.ts',
    'storage/index': 'src/storage/index.ts',
    'auth/index': 'src/auth/index.ts',
    'db/index': 'src/db/index.ts',
    'realtime/index': 'src/realtime/index.ts',
  },
  // Shared code becomes chunks, so `adapters` imports the service entries instead of copying them;
  // except the few stateless settings helpers in src/shared/, copied into each service.
  splitting: true,
  esbuildPlugins: [copiedIntoEachService(import.meta.dirname, 'shared')],
  // The db entry carries @switchyard/postgres' code, and imports pg (a dependency, so external)
  // itself: one file fewer to load at cold start (bench row 6). That code keeps no state but the
  // promise of pg's import.
  noExternal: ['@switchyard/postgres'],
});
