/**
 * The generator as a function: schema folder in, generated file contents out. The CLI
 * (`scripts/generate.ts`) writes them; `test/generated/up-to-date.test.ts` compares them with
 * the committed files.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SchemaSource } from '../../src/schema/types.js';
import { emitRestrictions } from './emit-restrictions.js';
import { emitSchemas } from './emit-schemas.js';
import { emitTypes } from './emit-types.js';
import type { GeneratorHeader } from './header.js';
import { buildModel, type Model } from './model.js';
import { readSchemaDir } from './read-schema.js';

/** Generated files, relative to the package root. */
export const GENERATED_FILES = [
  'src/generated/payload-types.ts',
  'src/generated/payload-schemas.ts',
  'src/generated/restrictions.ts',
] as const;

/** Output of {@link generate}. */
export interface GenerateResult {
  /** File path (relative to the package root) → content. */
  files: Record<(typeof GENERATED_FILES)[number], string>;
  /** The source the files were generated from. */
  source: SchemaSource;
  /** YAML fields the generator ignored (a newer upstream may add some worth supporting). */
  ignoredFields: string[];
  /** The model, for tests and diagnostics. */
  model: Model;
}

/** Generates every file from the schema in `schemaDir` (our `schema/` or an upstream checkout). */
export function generate(schemaDir: string): GenerateResult {
  const { files, ignoredFields } = readSchemaDir(schemaDir);
  const model = buildModel(files);
  const source = readSource(schemaDir);
  const header: GeneratorHeader = { source, copyright: readCopyright(schemaDir), notes: model.notes };
  return {
    files: {
      'src/generated/payload-types.ts': emitTypes(model, { ...header, notes: [] }),
      'src/generated/payload-schemas.ts': emitSchemas(model, header),
      'src/generated/restrictions.ts': emitRestrictions(model, { ...header, notes: [] }),
    },
    source,
    ignoredFields,
    model,
  };
}

/**
 * The upstream commit: `upstream.json` (written when vendoring), else the checkout's own git
 * metadata (`git log -1`), so a fresh `git clone` of upstream works as `--schema`.
 */
export function readSource(schemaDir: string): SchemaSource {
  const file = join(schemaDir, 'upstream.json');
  if (existsSync(file)) {
    const j = JSON.parse(readFileSync(file, 'utf8')) as Partial<SchemaSource>;
    if (!j.repository || !j.commit || !j.commitDate || !j.release) {
      throw new Error(`${file} needs repository, commit, commitDate and release`);
    }
    return { repository: j.repository, commit: j.commit, commitDate: j.commitDate, release: j.release };
  }
  try {
    const [commit, commitDate, release] = execFileSync('git', ['-C', schemaDir, 'log', '-1', '--format=%H%n%cs%n%s'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    })
      .trim()
      .split('\n');
    if (commit && commitDate && release) {
      return { repository: 'https://github.com/apple/device-management', commit, commitDate, release };
    }
  } catch {
    // not a git checkout: fall through to the error below
  }
  throw new Error(`${schemaDir} has no upstream.json and is not a git checkout; the pinned commit would be unknown`);
}

function readCopyright(schemaDir: string): string {
  const file = join(schemaDir, 'LICENSE.txt');
  if (!existsSync(file)) throw new Error(`${file} is missing: Apple's MIT licence must travel with the schema`);
  const line = readFileSync(file, 'utf8')
    .split('\n')
    .find((l) => /copyright/i.test(l));
  if (!line) throw new Error(`${file} has no copyright line`);
  return line.trim().replace(/\.?$/, '.');
}
