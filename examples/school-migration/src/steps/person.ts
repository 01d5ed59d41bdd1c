/**
 * A step handed to a person: when there is no API for it (Mosyle's free tier has none; a school
 * may have no ASM API account), the program writes the list of what to do, in the console's
 * words, and leaves the devices where they are. Verifying the person's work from a console
 * export (and the printable worksheet) plugs in here as another executor of the same step.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Device } from '../model/fleet.js';
import type { StepExecutor, StepName } from './types.js';

const WHERE: Partial<Record<StepName, { console: string; what: (d: Device, server: string) => string }>> = {
  assign: { console: 'Apple School Manager > Devices', what: (_d, server) => `assign to MDM server "${server}"` },
  rename: { console: 'Mosyle > Management > Devices > Devices overview', what: (d) => `rename to "${d.name}"` },
  group: { console: 'Mosyle > My School > Hierarchy > Shared Device Groups', what: (d) => `add to "${d.group}"` },
};

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) || /^[=+\-@]/.test(v) ? `"${v.replace(/^([=+\-@])/, "'$1").replaceAll('"', '""')}"` : v;
}

/** Hands a step to a person: writes `out/todo-<step>.csv` and moves nothing. */
export function handToPerson(step: StepName, why: string): StepExecutor {
  const where = WHERE[step];
  return {
    step,
    who: 'person',
    plan: (devices) =>
      devices.length === 0
        ? []
        : [
            {
              service: 'person',
              call: `by hand in ${where?.console ?? 'the console'}`,
              count: devices.length,
              note: why,
            },
          ],
    async run(devices, ctx) {
      if (devices.length === 0) return;
      mkdirSync(ctx.outDir, { recursive: true });
      const file = join(ctx.outDir, `todo-${step}.csv`);
      const server = ctx.config.data.asm.mosyleServer;
      const sorted = [...devices].sort((a, b) => a.serial.localeCompare(b.serial));
      const lines = [
        'serial,to do,where',
        ...sorted.map((d) => [d.serial, where?.what(d, server) ?? step, where?.console ?? ''].map(csvCell).join(',')),
      ];
      writeFileSync(file, `${lines.join('\r\n')}\r\n`);
      ctx.note(`${step}: handed to a person (${why}): ${devices.length} iPad(s) listed in ${file}`);
    },
  };
}
