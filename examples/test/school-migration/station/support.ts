/**
 * Station test support: a project folder with a config, an export and a plan of `serials`, a
 * journal where each iPad stands where the test says, and the scripted station (the fake
 * `cfgutil` executable on 127.0.0.1) whose iPads arrive and leave on the real clock.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../../school-migration/src/cli/main.js';
import { realClock } from '../../../school-migration/src/clock.js';
import { Journal } from '../../../school-migration/src/journal/journal.js';
import type { JournalLine, StateRecordLine } from '../../../school-migration/src/journal/records.js';
import { Fleet } from '../../../school-migration/src/model/fleet.js';
import type { DeviceState } from '../../../school-migration/src/model/states.js';
import { readPlan } from '../../../school-migration/src/plan/plan.js';
import { syncPlan } from '../../../school-migration/src/runner/runner.js';
import { type FakeCfgutil, startFakeCfgutil } from '../../../school-migration/src/station/testing/binary.js';
import { StationSim } from '../../../school-migration/src/station/testing/sim.js';
import { prng } from '../../../school-migration/src/world/seed.js';
import { Capture } from '../support.js';

/** Valid, distinct serials for a seed. */
export function serials(n: number, seed = 3): string[] {
  const rand = prng(seed);
  const chars = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
  const out = new Set<string>();
  while (out.size < n) {
    let s = 'DMP';
    for (let i = 0; i < 9; i++) s += chars[Math.floor(rand() * chars.length)];
    out.add(s);
  }
  return [...out];
}

/** `0x…` ECID of the i-th iPad. */
export const ecidOf = (i: number) => `0x${(0x1a2b0000000 + i * 7919).toString(16).toUpperCase()}`;

export const WIFI_KEY = 'station-wifi-key-5e1f';

export interface StationProject {
  dir: string;
  configFile: string;
  journalPath: string;
  sim: StationSim;
  fake: FakeCfgutil;
  /** `school-migration --config … station <args>` in-process, not a terminal. */
  station(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  /** The journal's lines now. */
  lines(): JournalLine[];
  fleet(): Fleet;
  close(): Promise<void>;
}

/**
 * A project whose plan holds `planned` serials, each moved in the journal to `states[serial]`
 * (default `release-requested`).
 */
export async function makeStationProject(
  planned: readonly string[],
  states: Record<string, DeviceState> = {},
): Promise<StationProject> {
  const dir = mkdtempSync(join(tmpdir(), 'station-'));
  writeFileSync(join(dir, 'export.csv'), `Serial Number\n${planned.join('\n')}\n`);
  writeFileSync(
    join(dir, 'plan.csv'),
    `Serial Number;Group\n${planned.map((s, i) => `${s};${i % 2 ? 'P1A' : 'Chariot A'}`).join('\n')}\n`,
  );
  const cred = { env: 'UNUSED' };
  const sim = new StationSim(realClock);
  const fake = await startFakeCfgutil(sim, dir);
  const configFile = join(dir, 'school-migration.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      school: { name: 'Ecole Sainte-Marie', short: 'ESM' },
      naming: '{school}-{group}-{nn}',
      inputs: { export: 'export.csv', plan: 'plan.csv' },
      files: {
        mdmCertificate: 'x',
        mdmPrivateKey: 'x',
        serverToken: 'x',
        pushCertificate: 'x',
        pushPrivateKey: 'x',
        contentToken: 'x',
        enrollmentProfile: 'x',
      },
      asm: { mosyleServer: 'Mosyle', clientId: cred, keyId: cred, privateKey: cred },
      mosyle: { accessToken: cred, email: cred, password: cred },
      configurator: { mode: 'cfgutil', cfgutil: fake.binary },
    }),
  );
  const plan = readPlan({
    exportPath: join(dir, 'export.csv'),
    planPath: join(dir, 'plan.csv'),
    school: 'ESM',
    naming: '{school}-{group}-{nn}',
  });
  const journalPath = join(dir, 'state/journal.jsonl');
  const { journal, lines } = Journal.open(journalPath);
  const fleet = Fleet.replay(lines);
  const seed: JournalLine[] = syncPlan(plan, fleet, Date.now());
  const at = new Date().toISOString();
  for (const s of planned) {
    const to = states[s] ?? 'release-requested';
    if (to === 'listed') continue;
    seed.push({ t: 'state', at, serial: s, from: 'listed', to, by: 'program' } satisfies StateRecordLine);
  }
  journal.append(seed);
  journal.close();
  return {
    dir,
    configFile,
    journalPath,
    sim,
    fake,
    async station(...args) {
      const stdout = new Capture();
      const stderr = new Capture();
      const code = await main(['--config', configFile, 'station', ...args], {
        stdout,
        stderr,
        env: { ...fake.env, STATION_WIFI_KEY: WIFI_KEY },
      });
      return { code, stdout: stdout.text, stderr: stderr.text };
    },
    lines: () => Journal.read(journalPath),
    fleet: () => Fleet.replay(Journal.read(journalPath)),
    async close() {
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** State lines per serial, in order. */
export function statesOf(lines: readonly JournalLine[]): Map<string, StateRecordLine[]> {
  const out = new Map<string, StateRecordLine[]>();
  for (const l of lines) {
    if (l.t !== 'state') continue;
    out.set(l.serial, [...(out.get(l.serial) ?? []), l]);
  }
  return out;
}

/**
 * No lost or repeated step: each device's state lines form one chain (each `from` is the
 * previous `to`), and no transition into `prepared` happens twice.
 */
export function checkChains(lines: readonly JournalLine[]): string[] {
  const problems: string[] = [];
  for (const [serial, states] of statesOf(lines)) {
    let at: DeviceState = 'listed';
    for (const s of states) {
      if (s.from !== at) problems.push(`${serial}: ${s.from}→${s.to} after ${at}`);
      at = s.to;
    }
    const prepared = states.filter((s) => s.to === 'prepared').length;
    if (prepared > 1) problems.push(`${serial}: prepared ${prepared} times`);
  }
  return problems;
}
