import { defineConfig } from 'tsup';

export default defineConfig({
  // One entry per subpath: the counters need no OpenTelemetry, the CloudWatch one only Powertools.
  entry: {
    index: 'src/index.ts',
    'counters/index': 'src/counters/index.ts',
    'cloudwatch/index': 'src/cloudwatch/index.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
});
