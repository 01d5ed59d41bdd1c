/**
 * Independent peers for tests: `openssl` and `python3` (plistlib). Tests that need one use
 * `describe.skipIf(!peers.openssl)` and this module prints why once, so a machine without the
 * tool reports a clear reason instead of failing. CI has both installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function available(cmd: string, args: string[]): boolean {
  const r = spawnSync(cmd, args, { stdio: 'ignore' });
  return r.status === 0;
}

/** Which peer tools exist on this machine. */
export const peers = {
  openssl: available('openssl', ['version']),
  python3: available('python3', ['-c', 'import plistlib']),
};

for (const [tool, ok] of Object.entries(peers)) {
  if (!ok) console.warn(`[peers] ${tool} not found: tests that use it as an independent peer are skipped`);
}

/** Runs a peer command synchronously; throws with its stderr when it exits non-zero. */
export function runPeer(
  cmd: string,
  args: string[],
  options: { input?: string | Uint8Array; cwd?: string } = {},
): Buffer {
  try {
    return execFileSync(cmd, args, {
      input: options.input,
      cwd: options.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (e) {
    const err = e as { stderr?: Buffer; status?: number };
    throw new Error(`${cmd} ${args.join(' ')} exited ${err.status}: ${err.stderr?.toString() ?? ''}`);
  }
}

/** Like runPeer, but returns status, stdout and stderr instead of throwing. */
export function tryPeer(cmd: string, args: string[], options: { input?: string | Uint8Array; cwd?: string } = {}) {
  const r = spawnSync(cmd, args, { input: options.input, cwd: options.cwd, maxBuffer: 256 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr?.toString() ?? '' };
}

/** A fresh temporary folder and a function that removes it. */
export function tempDir(prefix = 'schoolmdm-'): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
