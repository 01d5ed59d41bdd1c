/**
 * Smoke test of the *built* packages: every package and every subpath export must load
 * through both `require()` and `import()` from a consumer that resolves them by name.
 * It runs in a child Node process because vitest aliases `@schoolmdm/*` to the sources.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const consumer = join(root, 'examples');

const specifiers: string[] = [];
for (const pkg of readdirSync(join(root, 'packages')).sort()) {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', pkg, 'package.json'), 'utf8')) as {
    name: string;
    exports: Record<string, unknown>;
  };
  for (const sub of Object.keys(manifest.exports)) {
    if (sub === './package.json') continue;
    specifiers.push(sub === '.' ? manifest.name : `${manifest.name}/${sub.slice(2)}`);
  }
}

const script = `
const specs = JSON.parse(process.argv[1]);
const out = {};
(async () => {
  for (const s of specs) {
    const cjs = require(s);
    const esm = await import(s);
    out[s] = { cjs: Object.keys(cjs).sort(), esm: Object.keys(esm).filter((k) => k !== 'default' && k !== 'module.exports').sort() };
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`;

describe('built packages', () => {
  it('are built (run `pnpm build` first)', () => {
    for (const pkg of readdirSync(join(root, 'packages'))) {
      expect(existsSync(join(root, 'packages', pkg, 'dist', 'index.mjs')), `${pkg}/dist/index.mjs`).toBe(true);
      expect(existsSync(join(root, 'packages', pkg, 'dist', 'index.cjs')), `${pkg}/dist/index.cjs`).toBe(true);
    }
  });

  it.each(specifiers)('%s loads through require() and import() with the same named exports', (spec) => {
    const stdout = execFileSync(process.execPath, ['-e', script, JSON.stringify([spec])], {
      cwd: consumer,
      encoding: 'utf8',
    });
    const result = JSON.parse(stdout) as Record<string, { cjs: string[]; esm: string[] }>;
    const r = result[spec]!;
    expect(r.esm).toEqual(r.cjs);
  });
});
