/**
 * papaparse, loaded on first use rather than when `@schoolmdm/core` is imported (issue #16):
 * every API client imports core for its transport, and most never read a CSV, so they should
 * not pay for the parser. The serial functions stay synchronous: papaparse is a CommonJS
 * module, so it can be `require`d at the moment a CSV is first read.
 */
import { createRequire } from 'node:module';
import type * as PapaTypes from 'papaparse';

type PapaModule = typeof PapaTypes;

let papa: PapaModule | undefined;

/** The papaparse module (loaded once). */
export function loadPapa(): PapaModule {
  if (papa) return papa;
  // `createRequire` from this file's own location: `import.meta.url` in the ES module build,
  // `__filename` in the CommonJS build (where the bundler leaves `import.meta` empty). A bare
  // `require` would be bundler-shimmed in the ES build and throw "Dynamic require … is not
  // supported"; and `__filename` is not checked first because some ES hosts define a global one
  // that is not a path (a worker started from `eval` has "[worker eval]").
  const url: unknown = import.meta.url;
  const from = typeof url === 'string' ? url : __filename;
  papa = createRequire(from)('papaparse') as PapaModule;
  return papa;
}
