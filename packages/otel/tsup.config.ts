import { packageConfig } from '../../tsup.shared.js';

export default packageConfig({
  // One entry per subpath: the counters need no OpenTelemetry, the CloudWatch one only Powertools.
  entry: {
    index: 'src/index.ts',
    'counters/index': 'src/counters/index.ts',
    'cloudwatch/index': 'src/cloudwatch/index.ts',
  },
});
