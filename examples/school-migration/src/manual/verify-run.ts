/**
 * `school-migration verify`: checks a person's work from the consoles' device exports, without
 * any API call — replays the journal, runs the steps of each console whose export is given (in
 * the school's order, so one export can move an iPad from `assigned` to `grouped`), journals
 * what is `wrong` or `missing`, and rewrites the worksheets with only what is left.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../clock.js';
import type { LoadedConfig } from '../config/load.js';
import { MigrationError } from '../errors.js';
import { Journal } from '../journal/journal.js';
import { Fleet } from '../model/fleet.js';
import type { DeviceState } from '../model/states.js';
import type { Plan } from '../plan/plan.js';
import type { Ports } from '../ports/types.js';
import { createRecorder } from '../runner/recorder.js';
import { syncPlan } from '../runner/runner.js';
import { STEPS, type StepContext } from '../steps/types.js';
import type { ConsoleName } from './consoles.js';
import {
  type ManualInputs,
  personExecutor,
  reconcileFromAsmExport,
  STEP_CONSOLE,
  worksheetsOf,
  writeConsoleWorksheet,
} from './executors.js';
import { readConsoleExportFile } from './export-reader.js';
import type { ManualStep } from './verify.js';
import type { WorksheetFiles } from './worksheet.js';

/** What a verification did. */
export interface VerifySummary {
  /** iPads moved forward, per step. */
  verified: Partial<Record<ManualStep, number>>;
  /** iPads the ASM export showed further on than the journal (moved forward, never back). */
  reconciled: number;
  counts: Record<DeviceState, number>;
  notes: string[];
  worksheets: Map<ConsoleName, WorksheetFiles>;
}

/** Ports that refuse every call: verification reads files only. */
function noPorts(clock: Clock): Ports {
  const refuse = (service: string) =>
    new Proxy(
      {},
      {
        get: () => () => {
          throw new MigrationError(`verify makes no ${service} call`, {
            hint: 'use `school-migration run` for API steps',
          });
        },
      },
    );
  return {
    asm: refuse('Apple School Manager') as Ports['asm'],
    mosyle: refuse('Mosyle') as Ports['mosyle'],
    configurator: refuse('cfgutil') as Ports['configurator'],
    now: () => clock.now(),
    sleep: (ms) => clock.sleep(ms),
    calls: () => ({}),
    close: async () => {},
  };
}

/**
 * Verifies the steps of the consoles whose export is given.
 * @throws {MigrationError} when no export is given.
 */
export async function verifyFromExports(
  env: { config: LoadedConfig; clock: Clock; plan: Plan; outDir: string },
  inputs: ManualInputs,
): Promise<VerifySummary> {
  const consoles = new Set<ConsoleName>();
  if (inputs.mosyleExport) consoles.add('mosyle');
  if (inputs.asmExport) consoles.add('asm');
  if (consoles.size === 0) {
    throw new MigrationError('verify needs a console export', {
      hint: 'pass --mosyle-export <file> (Management > Devices > Devices overview, CSV) and/or --asm-export <file> (Devices in Apple School Manager, CSV)',
    });
  }
  // A file that cannot be read is an error before anything is written.
  if (inputs.mosyleExport) readConsoleExportFile('mosyle', inputs.mosyleExport);
  if (inputs.asmExport) readConsoleExportFile('asm', inputs.asmExport);
  const { journal, lines } = Journal.open(env.config.path(env.config.data.journal));
  try {
    const fleet = Fleet.replay(lines);
    const record = createRecorder(journal, fleet, () => env.clock.now());
    record.write(syncPlan(env.plan, fleet, env.clock.now()));
    const run = randomUUID();
    const at = () => new Date(env.clock.now()).toISOString();
    const options: Record<string, string> = { verify: [...consoles].join(',') };
    record.write([{ t: 'run', at: at(), event: 'start', run, options }]);
    const notes: string[] = [];
    const ctx: StepContext = {
      config: env.config,
      ports: noPorts(env.clock),
      fleet,
      record,
      clock: env.clock,
      outDir: env.outDir,
      note: (m) => notes.push(m),
      progress: () => {},
    };
    const planned = new Set(env.plan.devices.map((d) => d.serial));
    const verified: VerifySummary['verified'] = {};
    const reconciled = reconcileFromAsmExport(
      ctx,
      inputs,
      fleet.list().filter((d) => planned.has(d.serial)),
    );
    for (const step of STEPS) {
      const name = step.name as ManualStep;
      if (!(name in STEP_CONSOLE) || !consoles.has(STEP_CONSOLE[name])) continue;
      const devices = fleet.list().filter((d) => planned.has(d.serial) && d.state === step.from);
      if (devices.length === 0) continue;
      await personExecutor(name, 'verified from the export', inputs).run(devices, ctx);
      // The fleet's devices are updated in place by the recorder.
      verified[name] = devices.filter((d) => d.state === step.to).length;
    }
    // A console whose steps had no iPad waiting still gets its (empty or current) worksheet, and
    // a worksheet handed out by an earlier run is brought up to date (iPads may have moved to it).
    const worksheets = worksheetsOf(ctx);
    for (const c of ['asm', 'mosyle'] as const) {
      const handedOut = existsSync(join(env.outDir, `worksheet-${c}.html`));
      if (!worksheets.has(c) && (consoles.has(c) || handedOut)) writeConsoleWorksheet(ctx, c);
    }
    record.write([{ t: 'run', at: at(), event: 'end', run, serviceTimeMs: 0 }]);
    return { verified, reconciled, counts: fleet.counts(), notes, worksheets };
  } finally {
    journal.close();
  }
}
