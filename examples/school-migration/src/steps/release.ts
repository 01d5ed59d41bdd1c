/**
 * Step 1 of the seed: the list of serials for the old owner, exported from the old MDM and
 * written as the one-column CSV Apple School Manager's release dialog takes. The release itself
 * is the old owner's job (no API); the prepare step finds out whether it happened.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSerialCsv } from '@schoolmdm/core';
import type { Device } from '../model/fleet.js';
import type { PlannedCall, StepContext, StepExecutor } from './types.js';

/** Writes `release-request.csv` with every serial that still needs releasing. */
export const releaseRequestFile: StepExecutor = {
  step: 'request-release',
  who: 'program',
  plan(devices: readonly Device[]): PlannedCall[] {
    return devices.length === 0
      ? []
      : [
          {
            service: 'file',
            call: 'write out/release-request.csv',
            count: 1,
            note: `${devices.length} serials for the old owner`,
          },
        ];
  },
  async run(devices, ctx: StepContext) {
    if (devices.length === 0) return;
    mkdirSync(ctx.outDir, { recursive: true });
    // Everything asked so far, so the file the school sends is always complete.
    const all = ctx.fleet
      .list()
      .filter((d) => d.state === 'release-requested' || devices.includes(d))
      .map((d) => d.serial);
    const file = join(ctx.outDir, 'release-request.csv');
    writeFileSync(file, writeSerialCsv(all));
    ctx.record.move(
      devices.map((d) => ({
        serial: d.serial,
        to: 'release-requested',
        by: 'program',
        ref: 'out/release-request.csv',
      })),
    );
    ctx.progress(devices.length, devices.length);
    ctx.note(`release request: ${all.length} serials in ${file} — send it to the old owner (Step 1)`);
  },
};
