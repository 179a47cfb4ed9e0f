import { packageConfig } from '../../tsup.shared.js';

export default packageConfig({
  entry: ['src/index.ts', 'src/adapter.ts'],
  // One copy of each module per format, shared by both entries: errors, events and the dual-run
  // call link must be the same objects whichever entry an app or adapter imported.
  splitting: true,
});
