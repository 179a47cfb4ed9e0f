import { packageConfig } from '../../tsup.shared.js';

export default packageConfig({
  // bin.ts is the `switchyard` command (dist/bin.js, ESM, shebang kept); index.ts its programmatic API.
  entry: ['src/index.ts', 'src/bin.ts'],
});
