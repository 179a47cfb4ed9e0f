import { packageConfig } from '../../tsup.shared.js';

export default packageConfig({
  entry: ['src/index.ts', 'src/adapters.ts'],
  // One copy of each adapter per format, shared by both entries: `./adapters` stays light and
  // loads the adapter its `create` opens from the same chunk the main entry uses.
  splitting: true,
});
