import { defineConfig } from 'tsup';

export default defineConfig({
  // `testing` is a separate entry so that the main entry never pulls in msw.
  entry: { index: 'src/index.ts', testing: 'src/testing/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  // msw is an optional peer dependency used only by `./testing`: never bundle it.
  external: ['msw', 'msw/node'],
  // ESM declarations are renamed to .d.mts by scripts/fix-dts.mjs (tsup ignores outExtension for dts).
  outExtension: ({ format }) => ({ js: format === 'esm' ? '.mjs' : '.cjs' }),
});
