#!/usr/bin/env node
// Runs a command with its output held back: nothing is printed when it succeeds, everything (stdout and
// stderr, in order) when it fails, and its exit code is passed on. Used by `pnpm build` so that the
// README's two commands show the demo's and the tests' output, not ~100 lines of build logs (issue #16).
//   node scripts/quiet.mjs <command> [args…]
import { spawn } from 'node:child_process';

const [command, ...args] = process.argv.slice(2);
if (!command) {
  console.error('usage: node scripts/quiet.mjs <command> [args…]');
  process.exit(2);
}

// `pnpm` is a .cmd shim on Windows, which only a shell can start.
const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
const chunks = [];
child.stdout.on('data', (c) => chunks.push(c));
child.stderr.on('data', (c) => chunks.push(c));
child.on('error', (error) => {
  console.error(`quiet.mjs: could not start ${command}: ${error.message}`);
  process.exit(127);
});
child.on('close', (code, signal) => {
  if (code === 0) return;
  process.stderr.write(Buffer.concat(chunks));
  console.error(`\n✗ ${[command, ...args].join(' ')} failed (${signal ?? `exit ${code}`})`);
  process.exit(code ?? 1);
});
