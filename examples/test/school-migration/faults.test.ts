/**
 * 10 % of the API requests answered with a fault (429, 503, a reset connection, a malformed
 * body): the run completes through retries, reports per-device failures with a reason, and
 * loses nothing — every iPad is in the journal, and what the journal says matches the world.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../school-migration/src/journal/journal.js';
import { Fleet } from '../../school-migration/src/model/fleet.js';
import { makeProject, type Project, writesPerSerial } from './support.js';

let p: Project;
const runs: { code: number; stdout: string; stderr: string }[] = [];
beforeAll(async () => {
  p = await makeProject({ devices: 120, seed: 7, faultRate: 0.1 });
  runs.push(await p.cli('run'));
  runs.push(await p.cli('run', '--only', 'failed'));
}, 150_000);
afterAll(() => p?.close());

const fleet = () => Fleet.replay(Journal.read(join(p.dir, 'state/journal.jsonl')));

describe('a run with 10 % injected faults', () => {
  it('met faults of every kind', () => {
    const faults = new Set(p.world.calls.filter((c) => c.fault).map((c) => c.fault));
    expect(faults).toEqual(new Set(['rate-limit', 'server-error', 'reset', 'malformed']));
    expect(p.world.calls.filter((c) => c.fault).length).toBeGreaterThan(5);
  });

  it('completes: every run exits normally and reports its states', () => {
    for (const r of runs) {
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/states: /);
    }
  });

  it('loses nothing: every iPad is done or failed with a reason, and the journal matches the world', () => {
    const f = fleet();
    expect(f.devices.size).toBe(120);
    for (const d of f.list()) {
      if (d.state === 'failed') expect(d.reason, d.serial).toMatch(/\w+/);
      if (d.state === 'done') {
        expect(p.world.asm.state.devices.get(d.serial)?.serverId).toBe(p.world.mosyleServerId);
        p.world.mosyle.checkInAll();
        expect(p.world.mosyle.device(d.serial)?.name).toBe(d.name);
      }
    }
    // Retries and the --only failed run bring all but the unreleased iPad home.
    expect(f.counts().done).toBe(119);
  });

  it('never applied an assignment or a rename twice', () => {
    const { assign, rename } = writesPerSerial(p.world);
    expect([...assign, ...rename].filter(([, n]) => n > 1)).toEqual([]);
  });
});
