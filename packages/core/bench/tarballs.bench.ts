/**
 * What a user downloads: the size of every `@schoolmdm/*` tarball as `npm pack --dry-run --json`
 * reports it, against the sizes measured the same way before issue #16 (source maps with
 * `sourcesContent`, no LICENSE). Needs built packages (`pnpm bench` builds first). Each row also
 * checks what must and must not be in the tarball: LICENSE and README in, no source maps, no `src/`.
 *
 * Decided in #16: no source maps (the unminified output already reads like the source, and maps
 * with `sourcesContent` were half of configurator's 4.4 MB). The generated payload types stay in
 * both `index.d.mts` and `index.d.cts` (≈ 110 KB each gzipped): a declaration shared across formats
 * would make ESM users see `@schoolmdm/core`'s CJS types for errors and secrets, and classes with
 * private members from two declaration files do not match (the dual-package type hazard).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchReport, BenchRow } from '../../../bench/harness.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * `npm pack --dry-run --json` of every package at commit fc8fb10 (before issue #16), built with the
 * then shared tsup config (`sourcemap: true`, so every `.map` carried its sources). Measured once:
 * these builds no longer exist in the tree, and rebuilding them here would cost the bench minutes.
 */
const BEFORE: Record<
  string,
  { packedBytes: number; unpackedBytes: number; files: number; mapBytes: number; declarationBytes: number }
> = {
  '@schoolmdm/asm': { packedBytes: 3128, unpackedBytes: 13924, files: 14, mapBytes: 4226, declarationBytes: 3722 },
  '@schoolmdm/certs': {
    packedBytes: 256425,
    unpackedBytes: 929961,
    files: 18,
    mapBytes: 586662,
    declarationBytes: 97052,
  },
  '@schoolmdm/configurator': {
    packedBytes: 697227,
    unpackedBytes: 4409620,
    files: 8,
    mapBytes: 2138017,
    declarationBytes: 1124598,
  },
  '@schoolmdm/core': {
    packedBytes: 299360,
    unpackedBytes: 1052871,
    files: 14,
    mapBytes: 619934,
    declarationBytes: 162734,
  },
  '@schoolmdm/mosyle': { packedBytes: 2066, unpackedBytes: 6675, files: 14, mapBytes: 1532, declarationBytes: 1018 },
};

interface PackResult {
  name: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; size: number }[];
}

function pack(dir: string): PackResult {
  // --ignore-scripts: a size listing must not run prepack hooks; stderr (npm notices) is dropped.
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: dir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    shell: process.platform === 'win32',
  });
  const [result] = JSON.parse(out) as PackResult[];
  if (!result) throw new Error(`npm pack --dry-run --json printed no result in ${dir}`);
  return result;
}

export default async function (): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  for (const pkg of readdirSync(join(root, 'packages')).sort()) {
    const dir = join(root, 'packages', pkg);
    if (!existsSync(join(dir, 'dist', 'index.mjs'))) {
      throw new Error(`packages/${pkg} is not built: run \`pnpm build\` (or \`pnpm bench\`, which builds first)`);
    }
    const r = pack(dir);
    const paths = r.files.map((f) => f.path);
    const declarations = r.files.filter((f) => /\.d\.[cm]?ts$/.test(f.path)).reduce((n, f) => n + f.size, 0);
    const maps = r.files.filter((f) => f.path.endsWith('.map'));
    const before = BEFORE[r.name];
    const hasLicense = paths.includes('LICENSE');
    const hasReadme = paths.includes('README.md');
    const shipsSources = paths.some((p) => p.startsWith('src/'));
    rows.push({
      name: `${r.name} tarball (unpacked)`,
      // Not a pass/fail figure: asm's and mosyle's clients landed after the "before" measurement.
      ...(before ? { ratio: r.unpackedSize / before.unpackedBytes } : {}),
      goal: 'LICENSE and README in; no source maps, no src/ (ratio = unpacked now / before #16)',
      pass: hasLicense && hasReadme && maps.length === 0 && !shipsSources,
      metrics: {
        unpackedBytes: r.unpackedSize,
        packedBytes: r.size,
        files: r.entryCount,
        declarationBytes: declarations,
        mapBytes: maps.reduce((n, f) => n + f.size, 0),
        ...(before
          ? {
              beforeUnpackedBytes: before.unpackedBytes,
              beforePackedBytes: before.packedBytes,
              beforeFiles: before.files,
              beforeMapBytes: before.mapBytes,
              beforeDeclarationBytes: before.declarationBytes,
            }
          : {}),
        license: hasLicense ? 'yes' : 'MISSING',
      },
    });
  }
  return { id: 'core/tarballs', rows };
}
