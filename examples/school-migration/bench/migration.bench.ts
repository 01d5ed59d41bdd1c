/**
 * Benchmark of the whole move on the simulated world (issue #12): 300 and 10,000 iPads.
 *
 * For each size: API calls per service, the simulated wall time the services need under
 * their default limits (ASM ≈20 GET/min and ≈10 POST/h, enforced by both the clients and the
 * simulators), the real CPU time of the program and of the whole process, and the journal's
 * size. Then the journal replay of the 10,000-iPad run against a bare `JSON.parse` of the same
 * lines (same run, ratio). cfgutil runs in-process here: the fake binary's process start-up
 * would otherwise dominate the CPU figures and is no part of the program.
 *
 * Run: `npx -y pnpm@10 --filter @schoolmdm/examples bench` (prints a table and writes
 * `examples/school-migration/bench/results.json`).
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Cfgutil } from '@schoolmdm/configurator';
import { type BenchReport, type BenchRow, compare } from '../../../bench/harness.js';
import { main } from '../src/cli/main.js';
import { RemoteClock } from '../src/clock.js';
import { loadConfig } from '../src/config/load.js';
import { Journal } from '../src/journal/journal.js';
import { Fleet } from '../src/model/fleet.js';
import { readPlan } from '../src/plan/plan.js';
import { configuratorPort } from '../src/ports/configurator-adapter.js';
import { createPorts } from '../src/ports/create.js';
import { runMigration } from '../src/runner/runner.js';
import { startWorld } from '../src/world/world.js';

const quiet = new Writable({ write: (_c, _e, cb) => cb() });

async function move(devices: number): Promise<{ row: BenchRow; journal: string; cleanup: () => void }> {
  const dir = mkdtempSync(join(tmpdir(), 'migration-bench-'));
  await main(['init', '--dir', dir], { stdout: quiet, stderr: quiet, env: {} });
  const world = await startWorld({ devices, seed: 2 });
  const configFile = join(dir, 'school-migration.yaml');
  await world.installInto(configFile);
  const config = loadConfig(configFile);
  const clock = new RemoteClock(world.url);
  await clock.sync();
  const ports = createPorts(config, clock, {});
  // The fake cfgutil answered in-process (same answers as the binary).
  const cfg = configuratorPort({
    list: async () => {
      const out = JSON.parse(world.cfgutil(['--format', 'JSON', 'list']).stdout) as {
        Output: Record<string, { ECID: string }>;
      };
      return Object.values(out.Output).map((e) => ({ ecid: e.ECID, raw: e }));
    },
    get: async (props: string[], ecids: string[]) => {
      const out = JSON.parse(
        world.cfgutil(['--format', 'JSON', ...ecids.flatMap((e) => ['--ecid', e]), 'get', ...props]).stdout,
      );
      return { command: 'get', argv: [], devices: out.Devices, output: out.Output };
    },
    prepare: async (o: { ecids: string[] }) => {
      const r = world.cfgutil(['--format', 'JSON', ...o.ecids.flatMap((e) => ['--ecid', e]), 'prepare', '--dep']);
      const out = JSON.parse(r.stdout);
      return out.Type === 'Error'
        ? {
            command: 'prepare',
            argv: [],
            devices: [],
            output: {},
            error: { message: out.Message, affectedDevices: out.AffectedDevices },
          }
        : { command: 'prepare', argv: [], devices: out.Devices, output: {} };
    },
  } as unknown as Cfgutil);
  const plan = readPlan({
    exportPath: config.path(config.data.inputs.export),
    planPath: config.path(config.data.inputs.plan),
    school: config.data.school.short,
    naming: config.data.naming,
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const summary = await runMigration({
    config,
    ports: { ...ports, configurator: cfg },
    clock,
    plan,
    outDir: config.path('out'),
  });
  const realMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  await ports.close();
  const perService: Record<string, number> = {};
  for (const c of world.calls) if (c.service !== 'world') perService[c.service] = (perService[c.service] ?? 0) + 1;
  const journal = config.path(config.data.journal);
  await world.close();
  return {
    journal,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
    row: {
      name: `move ${devices} iPads`,
      metrics: {
        done: summary.counts.done,
        failed: summary.counts.failed,
        'asm calls': perService.asm ?? 0,
        'asm token calls': perService['asm-token'] ?? 0,
        'mosyle calls': perService.mosyle ?? 0,
        'cfgutil calls': perService.cfgutil ?? 0,
        'simulated time (h)': +(summary.serviceTimeMs / 3_600_000).toFixed(2),
        'real time (s)': +(realMs / 1000).toFixed(1),
        'process CPU (s)': +((cpu.user + cpu.system) / 1e6).toFixed(1),
        'journal (KiB)': Math.round(statSync(journal).size / 1024),
      },
    },
  };
}

export default async function (): Promise<BenchReport> {
  const rows: BenchRow[] = [];
  const small = await move(300);
  rows.push(small.row);
  small.cleanup();
  const big = await move(10_000);
  rows.push(big.row);

  const text = readFileSync(big.journal, 'utf8');
  const { subject, baseline, ratio } = await compare(
    () => Fleet.replay(Journal.read(big.journal)),
    () => {
      const out: unknown[] = [];
      for (const l of readFileSync(big.journal, 'utf8').split('\n')) if (l) out.push(JSON.parse(l));
      return out;
    },
    { iterations: 10, warmup: 2 },
  );
  rows.push({
    name: 'journal replay, 10,000 iPads (vs JSON.parse of its lines)',
    subject,
    baseline,
    ratio,
    goal: '≤ 3× a bare JSON.parse',
    pass: ratio <= 3,
    metrics: { lines: text.split('\n').length - 1 },
  });
  big.cleanup();
  return { id: 'examples/school-migration', rows };
}
