/**
 * The one tsup configuration of every `@schoolmdm/*` package: ESM (`.mjs`) + CJS (`.cjs`) with
 * declarations for both, source maps, Node 20 target. Kept minimal so a move to tsdown stays cheap
 * (tsup is in maintenance mode: https://github.com/egoist/tsup/issues/1391).
 */
import { defineConfig, type Options } from 'tsup';

export function packageConfig(entry: Record<string, string>, extra: Partial<Options> = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    // msw is an optional peer dependency used only by `./testing` entries: never bundle it.
    external: ['msw', 'msw/node'],
    // ESM declarations are renamed to .d.mts by scripts/fix-dts.mjs (tsup ignores outExtension for dts).
    outExtension: ({ format }) => ({ js: format === 'esm' ? '.mjs' : '.cjs' }),
    ...extra,
  });
}
