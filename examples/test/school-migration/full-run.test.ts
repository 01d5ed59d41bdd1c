/**
 * A full run on the simulated world (ASM, Mosyle, the fake cfgutil on one local port) reaches
 * the expected final state for every device, with bulk calls only; a second run is a no-op.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../school-migration/src/journal/journal.js';
import { Fleet } from '../../school-migration/src/model/fleet.js';
import { makeProject, type Project, writesPerSerial } from './support.js';

let p: Project;
let first: { code: number; stdout: string; stderr: string };
beforeAll(async () => {
  p = await makeProject({ devices: 300, seed: 3 });
  first = await p.cli('run');
}, 120_000);
afterAll(() => p?.close());

const fleet = () => Fleet.replay(Journal.read(join(p.dir, 'state/journal.jsonl')));

describe('a full run on the simulated world', () => {
  it('moves every iPad to done, except the one its old owner never released', () => {
    expect(first.code, first.stderr).toBe(0);
    const f = fleet();
    expect(f.devices.size).toBe(300);
    for (const w of p.world.school.devices) {
      const d = f.devices.get(w.serial)!;
      expect(d, w.serial).toBeDefined();
      if (w.kind === 'not-released') {
        expect(d.state).toBe('failed');
        expect(d.at).toBe('release-requested');
        expect(d.reason).toMatch(/old owner has not released it/);
      } else {
        expect(d.state, `${w.serial} (${w.kind}): ${d.reason}`).toBe('done');
        expect(d.name).toBe(w.name);
      }
    }
  });

  it('leaves the world as the school wants it: on the Mosyle server, named, in the right group', () => {
    for (const w of p.world.school.devices) {
      if (w.kind === 'not-released') continue;
      expect(p.world.asm.state.devices.get(w.serial)?.serverId).toBe(p.world.mosyleServerId);
      const m = p.world.mosyle.device(w.serial)!;
      p.world.mosyle.checkInAll();
      expect(m.name).toBe(w.name);
      const group = p.world.mosyle.state.sharedDeviceGroups.find((g) => g.name === w.group)!;
      expect(group.udids).toContain(m.udid);
    }
  });

  it('starts each iPad where it is: the ones already moved and the school-bought ones skip the release and Configurator', () => {
    const f = fleet();
    for (const w of p.world.school.devices.filter((d) => d.kind === 'already-moved' || d.kind === 'school-bought')) {
      const d = f.devices.get(w.serial)!;
      expect(d.history.some((h) => h.to === 'prepared')).toBe(false);
      expect(d.history[0]!.by).toBe('reconcile');
    }
    // Already moved: renamed and grouped without any write.
    const { assign, rename } = writesPerSerial(p.world);
    for (const w of p.world.school.devices.filter((d) => d.kind === 'already-moved')) {
      expect(assign.get(w.serial) ?? 0).toBe(0);
      expect(rename.get(w.serial) ?? 0).toBe(0);
    }
  });

  it('works in bulk: one assignment activity, never one call per device, each write once', () => {
    const activities = [...p.world.asm.state.activities.values()];
    expect(activities).toHaveLength(1);
    const { assign, rename } = writesPerSerial(p.world);
    expect(Math.max(...assign.values())).toBe(1);
    expect(Math.max(...rename.values())).toBe(1);
    const api = p.world.calls.filter((c) => c.service === 'asm' || c.service === 'mosyle');
    expect(api.length).toBeLessThan(150);
    expect(first.stdout).toMatch(/time under the services' limits: /);
  });

  it('writes the release request with the serials still to release, and no flagged serial', () => {
    const csv = readFileSync(join(p.dir, 'out/release-request.csv'), 'utf8');
    const serials = csv.trim().split(/\r?\n/).slice(1);
    const authority = p.world.school.devices.filter((d) => d.kind === 'authority' || d.kind === 'not-released');
    expect(new Set(serials)).toEqual(new Set(authority.map((d) => d.serial)));
  });

  it('a second run changes nothing and sends no write', async () => {
    const before = p.world.calls.length;
    const activities = p.world.asm.state.activities.size;
    const again = await p.cli('run');
    expect(again.code).toBe(0);
    expect(p.world.asm.state.activities.size).toBe(activities);
    const writes = p.world.calls
      .slice(before)
      .filter(
        (c) =>
          c.method === 'POST' &&
          (c.path.startsWith('/v1/orgDeviceActivities') ||
            c.path === '/v2/devices' ||
            c.path === '/v2/shareddevicegroups'),
      );
    expect(writes).toEqual([]);
    expect(fleet().counts()).toMatchObject({ done: 299, failed: 1 });
  });

  it('status and report read the journal; --only failed retries the failed iPad from where it stopped', async () => {
    const status = await p.cli('status');
    expect(status.stdout).toMatch(/299 {2}Done/);
    const w = p.world.school.devices.find((d) => d.kind === 'not-released')!;
    p.world.devices.get(w.serial)!.released = true; // the old owner released it at last
    const retry = await p.cli('run', '--only', 'failed');
    expect(retry.code, retry.stderr).toBe(0);
    expect(fleet().devices.get(w.serial)!.state).toBe('done');
  });
});
