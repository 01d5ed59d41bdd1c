/**
 * The built `@schoolmdm/core` (dist/), for tests that must check what users load. `pnpm test`
 * builds every package before vitest; run alone, the test builds core once if dist is missing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const coreRoot = fileURLToPath(new URL('../..', import.meta.url));
export const coreDist = join(coreRoot, 'dist');

/** Builds core if `dist/` lacks an entry; returns the dist directory. */
export function ensureCoreBuilt(): string {
  const needed = ['index.mjs', 'index.cjs', 'testing.mjs', 'testing.cjs'];
  if (needed.every((f) => existsSync(join(coreDist, f)))) return coreDist;
  execFileSync('npx', ['-y', 'pnpm@10', '--filter', '@schoolmdm/core', 'build'], {
    cwd: join(coreRoot, '..', '..'),
    stdio: 'pipe',
    timeout: 240_000,
  });
  return coreDist;
}
