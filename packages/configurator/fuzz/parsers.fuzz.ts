/**
 * `pnpm fuzz` entry for `@schoolmdm/configurator`: readPlist (XML and binary),
 * validateProfile, verifySignedProfile and inspectEnrollmentProfile, seeded with the real-file
 * corpus and openssl-made signed profiles. See `targets.ts`.
 */
export type { FuzzTarget } from '../../../scripts/fuzz-inputs.js';
export { targets } from './targets.js';
