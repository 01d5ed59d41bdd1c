import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const pkgs = ['core', 'certs', 'asm', 'mosyle', 'configurator'];
const src = (p: string) => fileURLToPath(new URL(`./packages/${p}`, import.meta.url));

// Tests run against the TypeScript sources, so `@schoolmdm/x` and `@schoolmdm/x/testing`
// resolve to `src/` without a build. The smoke test (test/smoke) checks the built `dist/`.
export default defineConfig({
  resolve: {
    alias: pkgs.flatMap((p) => [
      { find: new RegExp(`^@schoolmdm/${p}/testing$`), replacement: `${src(p)}/src/testing/index.ts` },
      { find: new RegExp(`^@schoolmdm/${p}$`), replacement: `${src(p)}/src/index.ts` },
    ]),
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'examples/test/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
