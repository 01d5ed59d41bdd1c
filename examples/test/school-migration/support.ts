/**
 * Test support: a project made by the program's own `init`, a simulated world installed into
 * it (as `simulate` does), and the CLI run in-process with its output captured.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { CONFIG_FILE } from '../../school-migration/src/cli/init.js';
import { main } from '../../school-migration/src/cli/main.js';
import { startWorld, type World, type WorldOptions } from '../../school-migration/src/world/world.js';

/** A writable that keeps what was written. */
export class Capture extends Writable {
  text = '';
  isTTY = false;
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

/** A project folder with a world installed into it. */
export interface Project {
  dir: string;
  config: string;
  world: World;
  /** Runs the CLI in-process; returns the exit code and what it printed. */
  cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

/** `init` + a world (`simulate`) in a fresh temporary folder. */
export async function makeProject(options: WorldOptions = {}): Promise<Project> {
  const dir = mkdtempSync(join(tmpdir(), 'school-migration-'));
  const config = join(dir, CONFIG_FILE);
  const run = async (...args: string[]) => {
    const stdout = new Capture();
    const stderr = new Capture();
    const code = await main(args, { stdout, stderr, env: {} });
    return { code, stdout: stdout.text, stderr: stderr.text };
  };
  const init = await run('init', '--dir', dir);
  if (init.code !== 0) throw new Error(`init failed: ${init.stderr}`);
  const world = await startWorld(options);
  await world.installInto(config);
  return {
    dir,
    config,
    world,
    cli: (...args) => run('--config', config, ...args),
    async close() {
      await world.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The non-idempotent calls that reached the simulators, per serial: assignments and renames. */
export function writesPerSerial(world: World): { assign: Map<string, number>; rename: Map<string, number> } {
  const assign = new Map<string, number>();
  for (const a of world.asm.state.activities.values()) {
    if (a.activityType !== 'ASSIGN_DEVICES') continue;
    for (const s of a.serials) assign.set(s, (assign.get(s) ?? 0) + 1);
  }
  const rename = new Map<string, number>();
  for (const r of world.mosyle.state.requests) {
    if (r.path !== '/devices') continue;
    for (const e of elementsOf(r.body)) {
      const s = String(e.serialnumber ?? e.serial_number ?? '');
      if (s && e.name !== undefined) rename.set(s, (rename.get(s) ?? 0) + 1);
    }
  }
  return { assign, rename };
}

function elementsOf(body: unknown): Record<string, unknown>[] {
  const b = body as { elements?: unknown } | null;
  return Array.isArray(b?.elements) ? (b.elements as Record<string, unknown>[]) : [];
}
