/**
 * The one tsup configuration of every `@schoolmdm/*` package: ESM (`.mjs`) + CJS (`.cjs`) with
 * declarations for both, Node 20 target, no source maps, quiet. Kept minimal so a move to tsdown stays cheap
 * (tsup is in maintenance mode: https://github.com/egoist/tsup/issues/1391).
 */
import { defineConfig, type Options } from 'tsup';

export function packageConfig(entry: Record<string, string>, extra: Partial<Options> = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    // No source maps in the tarball: the output is unminified, with the source's function names, so a stack
    // trace into dist/ is already readable, and maps would point at src/ files the tarball does not ship
    // (with sourcesContent they were 2.1 MB of configurator's 4.4 MB: issue #16).
    sourcemap: false,
    clean: true,
    // Quiet unless something fails: type and bundling errors still print (issue #16: the README's commands
    // show only what a person needs, not ~100 lines of file sizes).
    silent: true,
    target: 'node20',
    // esbuild renames classes whose static members refer to themselves (`ApiError` became
    // `_ApiError`); keep every function and class name so `err.name` and brands survive the
    // build. Core's error classes also set their names explicitly (setErrorName).
    keepNames: true,
    // msw is an optional peer dependency used only by `./testing` entries: never bundle it.
    external: ['msw', 'msw/node'],
    // ESM declarations are renamed to .d.mts by scripts/fix-dts.mjs (tsup ignores outExtension for dts).
    outExtension: ({ format }) => ({ js: format === 'esm' ? '.mjs' : '.cjs' }),
    ...extra,
  });
}
