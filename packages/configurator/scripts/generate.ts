/**
 * Generates `src/generated/*.ts` from Apple's profile schema.
 *
 *   tsx scripts/generate.ts                       # from the vendored schema/ (what `build` runs)
 *   tsx scripts/generate.ts --check               # exit 1 when the committed files are stale (CI)
 *   tsx scripts/generate.ts --schema <checkout>   # preview from an apple/device-management checkout
 *   tsx scripts/generate.ts --schema <checkout> --vendor   # copy that schema into schema/, then generate
 *
 * See schema/README.md for the update procedure.
 */
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './lib/cli.js';

process.exitCode = runCli(process.argv.slice(2), {
  packageRoot: resolve(dirname(fileURLToPath(import.meta.url)), '..'),
  log: (line) => console.log(line),
  error: (line) => console.error(line),
});
