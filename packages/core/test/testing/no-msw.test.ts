/**
 * `@schoolmdm/core/testing` without msw: the built entry (ESM and CJS) loads and
 * `startTestServer` serves requests in a Node process where resolving `msw` fails, as it does
 * when the optional peer is not installed. The module graph of dist/testing.* holds no msw
 * import at all (the helpers build plain Responses).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCoreBuilt } from '../support/built.js';

let dist: string;
let hooks: string;
beforeAll(() => {
  dist = ensureCoreBuilt();
  hooks = mkdtempSync(join(tmpdir(), 'schoolmdm-no-msw-'));
  writeFileSync(join(hooks, 'no-msw.cjs'), cjsHook);
}, 300_000);
afterAll(() => {
  rmSync(hooks, { recursive: true, force: true });
});

/** ESM hook: `msw` and `msw/*` cannot be found. */
const esmHook = `export async function resolve(s, c, next) {
  if (s === 'msw' || s.startsWith('msw/')) throw Object.assign(new Error('Cannot find package msw'), { code: 'ERR_MODULE_NOT_FOUND' });
  return next(s, c);
}`;
/** CJS: the same for require(). */
const cjsHook = `const M = require('node:module');
const orig = M._resolveFilename;
M._resolveFilename = function (r, ...rest) {
  if (r === 'msw' || r.startsWith('msw/')) throw Object.assign(new Error("Cannot find module 'msw'"), { code: 'MODULE_NOT_FOUND' });
  return orig.call(this, r, ...rest);
};`;
const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(esmHook)}`)});`;

function runWithoutMsw(code: string): string {
  return execFileSync(
    process.execPath,
    [
      '--require',
      join(hooks, 'no-msw.cjs'),
      '--import',
      `data:text/javascript,${encodeURIComponent(register)}`,
      '--input-type=module',
      '-e',
      code,
    ],
    { encoding: 'utf8', timeout: 60_000 },
  );
}

describe('@schoolmdm/core/testing without msw', () => {
  it('the hook really hides msw (control)', () => {
    // msw is installed in this repository: only the hooks make it unresolvable.
    const out = runWithoutMsw(`
      import { createRequire } from 'node:module';
      const codes = [];
      try { await import('msw'); codes.push('esm loaded'); } catch (e) { codes.push(e.code); }
      try { createRequire(import.meta.url)('msw/node'); codes.push('cjs loaded'); } catch (e) { codes.push(e.code); }
      process.stdout.write(JSON.stringify(codes));
    `);
    expect(JSON.parse(out)).toEqual(['ERR_MODULE_NOT_FOUND', 'MODULE_NOT_FOUND']);
  });

  it('ESM and CJS entries load, and startTestServer answers a request', () => {
    const esm = pathToFileURL(join(dist, 'testing.mjs')).href;
    const cjs = join(dist, 'testing.cjs');
    const out = runWithoutMsw(`
      import { createRequire } from 'node:module';
      const m = await import(${JSON.stringify(esm)});
      const c = createRequire(import.meta.url)(${JSON.stringify(cjs)});
      const server = await m.startTestServer((req, res) => res.end(JSON.stringify({ path: req.url })));
      const r = await fetch(server.url + '/ping');
      const body = await r.json();
      await server.close();
      const helper = m.rateLimited({ retryAfter: 2 })();
      process.stdout.write(JSON.stringify({ body, cjs: typeof c.startTestServer, helper: helper.status, ra: helper.headers.get('retry-after') }));
    `);
    expect(JSON.parse(out)).toEqual({ body: { path: '/ping' }, cjs: 'function', helper: 429, ra: '2' });
  });

  it('no file of the built testing graph imports msw', () => {
    const files = readdirSync(dist).filter((f) => /\.(mjs|cjs)$/.test(f));
    const testing = files.filter((f) => f.startsWith('testing.'));
    expect(testing.sort()).toEqual(['testing.cjs', 'testing.mjs']);
    // testing.* and every chunk they import.
    const graph = new Set<string>();
    const visit = (f: string) => {
      if (graph.has(f)) return;
      graph.add(f);
      const text = readFileSync(join(dist, f), 'utf8');
      for (const m of text.matchAll(/(?:from\s*|import\(|require\()\s*["']\.\/([^"']+)["']/g)) visit(m[1] as string);
    };
    for (const f of testing) visit(f);
    for (const f of graph) {
      const text = readFileSync(join(dist, f), 'utf8');
      expect(text, f).not.toMatch(/(?:from\s*|import\(|require\()\s*["']msw(?:\/[^"']*)?["']/);
    }
  });
});
