import { packageConfig } from '../../scripts/tsup-package.js';

// `testing` is a separate entry so that the main entry never pulls in msw or the simulator.
export default packageConfig({ index: 'src/index.ts', testing: 'src/testing/index.ts' });
