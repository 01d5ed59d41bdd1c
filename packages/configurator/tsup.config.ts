import { packageConfig } from '../../scripts/tsup-package.js';

// shims: src/internal/lazy-deps.ts loads asn1js and node-forge on first use with
// createRequire(import.meta.url); the shim gives the CJS build an import.meta.url.
export default packageConfig({ index: 'src/index.ts' }, { shims: true });
