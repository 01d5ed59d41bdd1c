/**
 * The generator's command line, as a function so tests can run it in-process.
 * See `scripts/generate.ts` for the usage.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { GENERATED_FILES, generate, readSource } from './generate.js';
import { profilesDir } from './read-schema.js';

/** Where the CLI reads and writes. */
export interface CliEnvironment {
  /** The package folder (holds `schema/` and `src/generated/`). */
  packageRoot: string;
  log: (line: string) => void;
  error: (line: string) => void;
}

interface CliArgs {
  schema: string;
  vendor: boolean;
  check: boolean;
}

function parseArgs(argv: readonly string[], vendoredDir: string): CliArgs {
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
  if (vendor && check) throw new Error('--vendor and --check do not mix: --vendor rewrites schema/');
  return { schema, vendor, check };
}

/** Replaces schema/mdm/profiles and schema/LICENSE.txt with the checkout's, and records its commit. */
function vendor(from: string, vendoredDir: string, env: CliEnvironment): void {
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
  env.log(`vendored ${source.commit} (${source.release}) into schema/; update the table in schema/README.md`);
}

/** Runs the generator; returns the process exit code. */
export function runCli(argv: readonly string[], env: CliEnvironment): number {
  const vendoredDir = join(env.packageRoot, 'schema');
  let args: CliArgs;
  try {
    args = parseArgs(argv, vendoredDir);
  } catch (e) {
    env.error(e instanceof Error ? e.message : String(e));
    return 2;
  }
  if (args.vendor) vendor(args.schema, vendoredDir, env);
  const result = generate(args.vendor ? vendoredDir : args.schema);
  if (result.ignoredFields.length) {
    env.error(`note: the generator ignores these YAML fields: ${result.ignoredFields.join(', ')}`);
  }
  let stale = 0;
  for (const rel of GENERATED_FILES) {
    const path = join(env.packageRoot, rel);
    const next = result.files[rel];
    let current: string | undefined;
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      current = undefined;
    }
    if (current === next) continue;
    stale++;
    if (args.check) env.error(`${rel} is out of date`);
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, next);
      env.log(`wrote ${rel}`);
    }
  }
  if (args.check && stale) {
    env.error('run `pnpm --filter @schoolmdm/configurator generate` and commit the result');
    return 1;
  }
  if (!stale) env.log(`generated files are up to date (${result.source.release}, ${result.source.commit.slice(0, 7)})`);
  return 0;
}
