/**
 * Generates `src/generated/*.ts` from Apple's profile schema.
 *
 *   tsx scripts/generate.ts                       # from the vendored schema/ (what `build` runs)
 *   tsx scripts/generate.ts --check               # exit 1 when the committed files are stale
 *   tsx scripts/generate.ts --schema <checkout>   # preview from an apple/device-management checkout
 *   tsx scripts/generate.ts --schema <checkout> --vendor   # copy that schema into schema/, then generate
 *
 * See schema/README.md for the update procedure.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_FILES, generate, readSource } from './lib/generate.js';
import { profilesDir } from './lib/read-schema.js';

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const vendoredDir = join(packageRoot, 'schema');

function parseArgs(argv: string[]): { schema: string; vendor: boolean; check: boolean } {
  let schema = vendoredDir;
  let vendor = false;
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--schema') {
      const v = argv[++i];
      if (!v) throw new Error('--schema needs a folder');
      schema = resolve(v);
    } else if (a === '--vendor') vendor = true;
    else if (a === '--check') check = true;
    else if (a === '--') continue;
    else throw new Error(`unknown argument ${a}; see the comment at the top of scripts/generate.ts`);
  }
  if (vendor && schema === vendoredDir) throw new Error('--vendor needs --schema <apple/device-management checkout>');
  return { schema, vendor, check };
}

/** Replaces schema/mdm/profiles and schema/LICENSE.txt with the checkout's, and records its commit. */
function vendor(from: string): void {
  const source = readSource(from);
  const target = join(vendoredDir, 'mdm', 'profiles');
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  const src = profilesDir(from);
  for (const f of readdirSync(src).filter((n) => n.endsWith('.yaml'))) copyFileSync(join(src, f), join(target, f));
  copyFileSync(join(from, 'LICENSE.txt'), join(vendoredDir, 'LICENSE.txt'));
  writeFileSync(
    join(vendoredDir, 'upstream.json'),
    `${JSON.stringify({ ...source, path: 'mdm/profiles' }, null, 2)}\n`,
  );
  console.log(`vendored ${source.commit} (${source.release}) into schema/; update the table in schema/README.md`);
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  if (args.vendor) vendor(args.schema);
  const result = generate(args.vendor ? vendoredDir : args.schema);
  if (result.ignoredFields.length) {
    console.warn(`note: the generator ignores these YAML fields: ${result.ignoredFields.join(', ')}`);
  }
  let stale = 0;
  for (const rel of GENERATED_FILES) {
    const path = join(packageRoot, rel);
    const next = result.files[rel];
    let current: string | undefined;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === next) continue;
    stale++;
    if (args.check) console.error(`${rel} is out of date`);
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, next);
      console.log(`wrote ${rel}`);
    }
  }
  if (args.check && stale) {
    console.error('run `pnpm --filter @schoolmdm/configurator generate` and commit the result');
    process.exitCode = 1;
  } else if (!stale) {
    console.log(`generated files are up to date (${result.source.release}, ${result.source.commit.slice(0, 7)})`);
  }
}

main();
