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
  // `createRequire` from this file's own location: `__filename` in the CommonJS build (where
  // `import.meta` is empty), `import.meta.url` in the ES module build. A bare `require` would be
  // bundler-shimmed in the ES build and throw "Dynamic require … is not supported".
  const from = typeof __filename === 'string' ? __filename : import.meta.url;
  papa = createRequire(from)('papaparse') as PapaModule;
  return papa;
}
