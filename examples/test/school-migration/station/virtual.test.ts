/**
 * The station on the benchmark's footing — the discrete-event clock and the in-process cfgutil —
 * so the benchmark's machinery is itself tested: exact simulated times, the parallel limit
 * reached and never passed, an unplug mid-erase resumed, and the plain board lines.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { expect, it } from 'vitest';
import { Journal } from '../../../school-migration/src/journal/journal.js';
import type { JournalLine } from '../../../school-migration/src/journal/records.js';
import { Fleet } from '../../../school-migration/src/model/fleet.js';
import { createRecorder } from '../../../school-migration/src/runner/recorder.js';
import { boardHeader, createBoard, formatElapsed, formatRow } from '../../../school-migration/src/station/board.js';
import { writeBootstrapWifi } from '../../../school-migration/src/station/setup.js';
import { runStation } from '../../../school-migration/src/station/station.js';
import { inProcessCfgutil } from '../../../school-migration/src/station/testing/in-process.js';
import { StationSim } from '../../../school-migration/src/station/testing/sim.js';
import { VirtualClock } from '../../../school-migration/src/station/testing/virtual-clock.js';
import { checkChains, ecidOf, serials, statesOf } from './support.js';

it('runs on simulated minutes: the parallel limit holds, an iPad unplugged mid-erase resumes, nothing repeats', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'station-virtual-'));
  try {
    const clock = new VirtualClock();
    const t0 = clock.now();
    const sim = new StationSim(clock, { commandMs: 1000, installMs: 5000 });
    const s = serials(6, 21);
    for (const [i, serial] of s.entries()) {
      sim.add({
        ecid: ecidOf(i),
        serial,
        prepareMs: 180_000,
        eraseMs: 120_000,
        ...(i === 5 ? { cloudConfiguration: 'foreign' as const } : {}),
      });
      sim.plug(ecidOf(i));
    }
    // The iPad with a cloud configuration is pulled out mid-erase and cabled again 2 minutes later.
    let pulled = false;
    sim.onCall = (call) => {
      if (!pulled && call.command === 'prepare' && call.ecids[0] === ecidOf(5) && call.exitCode !== 0) {
        pulled = true;
        sim.at(30_000, () => sim.unplug(ecidOf(5)));
        sim.at(150_000, () => sim.plug(ecidOf(5)));
      }
    };
    const path = join(dir, 'journal.jsonl');
    const { journal } = Journal.open(path);
    const at = new Date(t0).toISOString();
    const seed: JournalLine[] = s.flatMap((serial, i) => [
      { t: 'device' as const, at, serial, group: 'P1A', name: `ESM-P1A-0${i + 1}` },
      {
        t: 'state' as const,
        at,
        serial,
        from: 'listed' as const,
        to: 'release-requested' as const,
        by: 'program' as const,
      },
    ]);
    journal.append(seed);
    const fleet = Fleet.replay(seed);
    const wifiFile = join(dir, 'wifi.mobileconfig');
    const wifi = writeBootstrapWifi(
      wifiFile,
      { name: 'Ecole', short: 'ESM' },
      { ssid: 'ESM-Setup', security: 'WPA2', password: 'virtual-key-123' },
    );
    const log = new PassThrough();
    let text = '';
    log.on('data', (c: Buffer) => {
      text += c.toString();
    });
    const board = createBoard({
      stream: log,
      tty: false,
      parallel: 2,
      now: () => clock.now(),
      wallNow: () => clock.now(),
    });
    const summary = await clock.drive(
      runStation({
        cfgutil: inProcessCfgutil(sim),
        fleet,
        record: createRecorder(journal, fleet, () => clock.now()),
        clock,
        parallel: 2,
        allowErase: true,
        wifiProfile: { file: wifiFile, identifier: wifi.identifier },
        prepare: { dep: true, skipLanguage: true, skipRegion: true },
        pollMs: 5000,
        exitWhenIdleMs: 60_000,
        onChange: (row, rows) => board.update(row, rows),
      }),
    );
    journal.close();
    expect(summary.prepared).toBe(6);
    expect(sim.maxBusy).toBe(2);
    const lines = Journal.read(path);
    expect(checkChains(lines)).toEqual([]);
    for (const serial of s)
      expect(statesOf(lines).get(serial)!.at(-1)).toMatchObject({ to: 'prepared', by: 'station' });
    for (const d of sim.ipads.values()) expect(d.prepares).toBe(1);
    // Erase was cut by the unplug, then done once on its return.
    expect(sim.ipads.get(ecidOf(5))!.erases).toBe(1);
    expect(sim.calls.filter((c) => c.command === 'erase' && c.ecids[0] === ecidOf(5))).toHaveLength(2);
    // On its return it went straight to the erase (the refusal was remembered), not to prepare.
    expect(sim.calls.filter((c) => c.command === 'prepare' && c.ecids[0] === ecidOf(5))).toHaveLength(2);
    expect(text).toMatch(new RegExp(`UNPLUGGED\\s+${s[5]}.*unplugged during erase`));
    expect(text).toMatch(new RegExp(`WAITING\\s+${s[5]}.*back: resuming at erase`));
    // Three pairs of 3-minute prepares and the erase: well over 9 simulated minutes, in far less real time.
    expect(summary.elapsedMs).toBeGreaterThan(9 * 60_000);
    const preparedAt = lines.filter((l) => l.t === 'state' && l.to === 'prepared').map((l) => Date.parse(l.at) - t0);
    // Two at a time: the first two finish together, after inspect, Wi-Fi and a 3-minute prepare.
    expect(preparedAt.slice(0, 2)).toEqual([preparedAt[0], preparedAt[0]]);
    expect(preparedAt[0]).toBeGreaterThanOrEqual(180_000 + 5000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('formats board lines with the status as a word, colour only around it', () => {
  const row = {
    ecid: '0x1',
    serial: 'DMPAAAAAAAA1',
    name: 'ESM-P1A-01',
    status: 'failed' as const,
    step: 'prepare' as const,
    startedAt: 0,
    endedAt: 83_000,
    message: 'the station could not prepare it: x',
  };
  expect(formatRow(row, 0)).toMatch(
    /^FAILED\s+DMPAAAAAAAA1\s+ESM-P1A-01\s+prepare\s+1:23 {2}the station could not prepare it: x$/,
  );
  expect(formatRow(row, 0, true)).toBe(`\x1b[31mFAILED     \x1b[0m${formatRow(row, 0).slice(11)}`);
  expect(formatElapsed(3_723_000)).toBe('1:02:03');
  expect(boardHeader([row, { ...row, status: 'done' }], 4)).toBe(
    'Configurator station (up to 4 at once): 1 done, 1 failed',
  );
});
