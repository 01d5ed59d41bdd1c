#!/usr/bin/env node
// Runs publint and `attw --pack` on every package under packages/. Exits non-zero on any problem.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = (name) => join(root, 'node_modules', '.bin', name);
let failed = 0;
for (const pkg of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', pkg);
  for (const [label, cmd, args] of [
    ['publint', bin('publint'), ['--strict']],
    ['attw', bin('attw'), ['--pack', '.', '--profile', 'node16', '--format', 'table-flipped']],
  ]) {
    const r = spawnSync(cmd, args, { cwd: dir, stdio: 'inherit' });
    if (r.status !== 0) {
      console.error(`✗ ${label} failed for @schoolmdm/${pkg}`);
      failed++;
    } else {
      console.log(`✓ ${label} @schoolmdm/${pkg}`);
    }
  }
}
process.exit(failed ? 1 : 0);
