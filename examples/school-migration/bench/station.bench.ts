/**
 * Benchmark of the Configurator station (issue #14): 30 iPads arriving in waves of 10 (a
 * cart's worth on the hub; the next wave is cabled a minute after the last of the previous one
 * is prepared), prepared up to 10 at once against one at a time, on simulated time — cfgutil
 * answers in-process (as in `migration.bench.ts`) with realistic durations: `list`/`get` 1 s,
 * install-profile 5 s, prepare 2.5–4 min, erase 2 min for the 3 iPads that still carry a cloud
 * configuration. Both runs must end with every iPad `prepared` exactly once in the journal and
 * on the iPad (zero lost or repeated steps).
 *
 * Run: `npx tsx examples/school-migration/bench/station.bench.ts` (prints the table).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchReport, BenchRow, Stats } from '../../../bench/harness.js';
import { Journal } from '../src/journal/journal.js';
import type { JournalLine } from '../src/journal/records.js';
import { Fleet } from '../src/model/fleet.js';
import { createRecorder } from '../src/runner/recorder.js';
import { writeBootstrapWifi } from '../src/station/setup.js';
import { runStation } from '../src/station/station.js';
import { inProcessCfgutil } from '../src/station/testing/in-process.js';
import { StationSim } from '../src/station/testing/sim.js';
import { VirtualClock } from '../src/station/testing/virtual-clock.js';
import { prng } from '../src/world/seed.js';

const IPADS = 30;
const WAVE = 10;
const SWAP_MS = 60_000;

interface Outcome {
  simulatedMs: number;
  realMs: number;
  prepared: number;
  lost: number;
  repeated: number;
  maxAtOnce: number;
  cfgutilCalls: number;
}

async function station(parallel: number): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'station-bench-'));
  try {
    const clock = new VirtualClock();
    const sim = new StationSim(clock, { commandMs: 1000, installMs: 5000 });
    const rand = prng(14);
    const serials: string[] = [];
    for (let i = 0; i < IPADS; i++) {
      const serial = `DMPB${String(100000 + i * 37).padStart(8, '0')}`;
      serials.push(serial);
      sim.add({
        ecid: `0x${(0x1a2b0000000 + i * 7919).toString(16).toUpperCase()}`,
        serial,
        prepareMs: 150_000 + Math.floor(rand() * 90_000),
        eraseMs: 120_000,
        ...(i % 10 === 4 ? { cloudConfiguration: 'foreign' as const } : {}),
      });
    }
    const ecids = [...sim.ipads.keys()];
    const waveOf = (k: number) => ecids.slice(k * WAVE, (k + 1) * WAVE);
    let wave = 0;
    for (const e of waveOf(0)) sim.plug(e);
    sim.onPrepared = () => {
      const current = waveOf(wave);
      if (!current.every((e) => sim.ipads.get(e)!.prepares > 0)) return;
      const next = ++wave;
      sim.at(SWAP_MS, () => {
        for (const e of current) sim.unplug(e);
        for (const e of waveOf(next)) sim.plug(e);
      });
    };

    const journalPath = join(dir, 'journal.jsonl');
    const { journal } = Journal.open(journalPath);
    const at = new Date(clock.now()).toISOString();
    const seed: JournalLine[] = serials.flatMap((serial, i) => [
      { t: 'device' as const, at, serial, group: 'Chariot A', name: `ESM-ChariotA-${String(i + 1).padStart(2, '0')}` },
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
    const record = createRecorder(journal, fleet, () => clock.now());
    const wifiFile = join(dir, 'wifi.mobileconfig');
    const { identifier } = writeBootstrapWifi(
      wifiFile,
      { name: 'Ecole Sainte-Marie', short: 'ESM' },
      { ssid: 'ESM-Setup', security: 'WPA2', password: 'bench-wifi-key' },
    );
    const t0 = performance.now();
    const summary = await clock.drive(
      runStation({
        cfgutil: inProcessCfgutil(sim),
        fleet,
        record,
        clock,
        parallel,
        allowErase: true,
        wifiProfile: { file: wifiFile, identifier },
        prepare: { dep: true, skipLanguage: true, skipRegion: true },
        pollMs: 5000,
        exitWhenIdleMs: SWAP_MS + 30_000,
      }),
    );
    const realMs = performance.now() - t0;
    journal.close();
    const lines = Journal.read(journalPath);
    const preparedLines = new Map<string, number>();
    for (const l of lines)
      if (l.t === 'state' && l.to === 'prepared') preparedLines.set(l.serial, (preparedLines.get(l.serial) ?? 0) + 1);
    const lost = serials.filter((s) => !preparedLines.has(s)).length;
    const repeated =
      [...preparedLines.values()].reduce((a, n) => a + (n - 1), 0) +
      [...sim.ipads.values()].reduce((a, d) => a + Math.max(0, d.prepares - 1), 0);
    // The last iPad's end, not the idle wait after it.
    const lastPrepared = Math.max(
      ...lines.filter((l) => l.t === 'state' && l.to === 'prepared').map((l) => Date.parse(l.at)),
    );
    return {
      simulatedMs: lastPrepared - Date.parse(at),
      realMs,
      prepared: summary.prepared,
      lost,
      repeated,
      maxAtOnce: sim.maxBusy,
      cfgutilCalls: Object.values(summary.calls).reduce((a, b) => a + b, 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const stats = (ms: number): Stats => ({ samples: 1, medianMs: ms, meanMs: ms, p95Ms: ms, minMs: ms });

export default async function stationBench(): Promise<BenchReport> {
  const parallel = await station(10);
  const serial = await station(1);
  const ratio = parallel.simulatedMs / serial.simulatedMs;
  const metricsOf = (o: Outcome) => ({
    'simulated wall time (min)': +(o.simulatedMs / 60_000).toFixed(1),
    prepared: o.prepared,
    lost: o.lost,
    repeated: o.repeated,
    'most at once': o.maxAtOnce,
    'cfgutil calls': o.cfgutilCalls,
    'real time (s)': +(o.realMs / 1000).toFixed(2),
  });
  const rows: BenchRow[] = [
    {
      name: `station: ${IPADS} iPads in waves of ${WAVE}, up to 10 at once vs one at a time (simulated time)`,
      subject: stats(parallel.simulatedMs),
      baseline: stats(serial.simulatedMs),
      ratio,
      goal: '≤ 0.35× one at a time, 0 lost, 0 repeated',
      pass: ratio <= 0.35 && parallel.lost + parallel.repeated + serial.lost + serial.repeated === 0,
      metrics: { ...metricsOf(parallel) },
    },
    { name: 'station: one at a time (baseline)', metrics: metricsOf(serial) },
  ];
  return { id: 'examples/school-migration/station', rows };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  const report = await stationBench();
  console.table(
    report.rows.map((r) => ({
      name: r.name,
      'subject ms': r.subject?.medianMs,
      'baseline ms': r.baseline?.medianMs,
      ratio: r.ratio !== undefined ? +r.ratio.toFixed(3) : undefined,
      pass: r.pass,
      ...r.metrics,
    })),
  );
}
