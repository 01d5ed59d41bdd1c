#!/usr/bin/env node
// tsup drops `outExtension` in its declaration worker, so in a `"type": "module"` package the
// ESM declarations come out as `.d.ts`. Node16 resolution wants `.d.mts` beside `.mjs`:
// rename them and point their relative imports at `.mjs` siblings. Run from a package folder.
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = join(process.cwd(), 'dist');
const walk = (dir) =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)],
  );
for (const file of walk(dist)) {
  if (!file.endsWith('.d.ts')) continue;
  const text = readFileSync(file, 'utf8').replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+?)\.js\2/g, '$1$2$3.mjs$2');
  writeFileSync(file, text);
  renameSync(file, `${file.slice(0, -'.d.ts'.length)}.d.mts`);
}
