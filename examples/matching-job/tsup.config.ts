import { defineConfig } from 'tsup';

// `handler.js` is the Lambda entry point, `run.js` the local runner (npm run match), `infra.js`
// the CDK app (cdk.json). Dependencies stay external: createProviders imports the selected adapter
// packages by name at run time, so they must be installed beside the code, not bundled into it.
export default defineConfig({
  entry: { handler: 'src/handler.ts', run: 'src/run.ts', infra: 'src/infra/app.ts' },
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
