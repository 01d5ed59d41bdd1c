/**
 * `pnpm demo`: the whole move of a simulated school (about 300 iPads), on this machine only.
 *
 * It runs the program's own commands in order — `init`, `simulate` (the world on a local port),
 * `check`, `plan`, `run`, `status`, `report` — exactly as a school would, against Apple School
 * Manager, Mosyle and Apple Configurator simulated on 127.0.0.1. The services' rate limits hold
 * in simulated time (the world's clock jumps when a client waits), so the demo takes seconds
 * while the report states what the move costs under Apple's limits.
 *
 * Files land in `examples/out/demo/`: the config, the MDM key pair, the release request, the
 * journal and the reports (`out/report.html`, `out/devices.csv`, `out/devices-failed.csv`).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CONFIG_FILE } from './cli/init.js';
import { main } from './cli/main.js';
import { startWorld } from './world/world.js';

const dir = fileURLToPath(new URL('../../out/demo', import.meta.url));
const config = join(dir, CONFIG_FILE);
const started = Date.now();

const step = (title: string) => process.stdout.write(`\n━━ ${title}\n`);
async function cli(...args: string[]): Promise<void> {
  process.stdout.write(`$ school-migration ${args.join(' ')}\n`);
  const code = await main(args);
  if (code !== 0 && !args.includes('check')) throw new Error(`school-migration ${args.join(' ')} exited ${code}`);
}

rmSync(dir, { recursive: true, force: true });

step('1. init: the config template, the MDM key pair, the push certificate request');
await cli('init', '--dir', dir, '--school', 'Ecole Sainte-Marie', '--short', 'ESM');

step('2. simulate: Apple School Manager, Mosyle and a Mac with Apple Configurator, on 127.0.0.1');
const world = await startWorld({ devices: 300, seed: 1 });
await world.installInto(config);
const kinds = new Map<string, number>();
for (const d of world.school.devices) kinds.set(d.kind, (kinds.get(d.kind) ?? 0) + 1);
process.stdout.write(
  `world on ${world.url}: ${world.school.devices.length} iPads in ${world.school.groups.length} carts and classes (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')})\n` +
    'it wrote what the school downloads: the server token, the push certificate, the content token, the enrollment profile, the old MDM export, the plan, the API credentials (files, owner-only)\n',
);

try {
  step('3. check: every step without an API, verified from its file or with one read');
  await cli('--config', config, 'check');

  step('4. plan: a dry run — next step per iPad, the calls, the time under the limits');
  await cli('--config', config, 'plan');

  step('5. run: a canary of 10 iPads first, then the rest');
  await cli('--config', config, 'run', '--limit', '10');
  await cli('--config', config, 'run');

  step('6. status and report');
  await cli('--config', config, 'status');
  await cli('--config', config, 'report');
} finally {
  await world.close();
}
process.stdout.write(
  `\nfiles in ${dir} (open out/report.html); the demo took ${((Date.now() - started) / 1000).toFixed(1)} s of real time\n`,
);
