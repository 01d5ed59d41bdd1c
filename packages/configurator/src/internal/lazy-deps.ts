/**
 * Third-party parsers loaded on first use. Not part of the public API.
 *
 * Why: asn1js and node-forge cost more to import than the rest of the package; only signed
 * profiles need asn1js and only `pkcs12Identity({ verify: true })` needs node-forge, so
 * `import { readPlist } from '@schoolmdm/configurator'` no longer loads them (issue #16,
 * measured in bench/import.bench.ts). `createRequire` keeps the calls synchronous.
 */
import { createRequire } from 'node:module';
import type * as Asn1js from 'asn1js';
import type Forge from 'node-forge';

const requireDependency = createRequire(import.meta.url);

let asn1: typeof Asn1js | undefined;
let forge: typeof Forge | undefined;

/** The asn1js module. */
export function asn1js(): typeof Asn1js {
  asn1 ??= requireDependency('asn1js') as typeof Asn1js;
  return asn1;
}

/** The node-forge module. */
export function nodeForge(): typeof Forge {
  forge ??= requireDependency('node-forge') as typeof Forge;
  return forge;
}
