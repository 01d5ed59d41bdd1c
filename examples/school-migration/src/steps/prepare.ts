/**
 * Step 7.1 of the seed: Apple Configurator prepares each iPad (erased, Mosyle's enrollment
 * profile, added to the school's Apple School Manager). Two executors: `cfgutil` on the Mac
 * the iPads are cabled to, or a person's confirmation (a CSV of the serials they prepared).
 * A Configurator station (watching devices as they are plugged in) is a third one to come.
 */
import { readFileSync } from 'node:fs';
import { readSerialCsv } from '@schoolmdm/core';
import type { Device } from '../model/fleet.js';
import type { Move, PlannedCall, StepContext, StepExecutor } from './types.js';

/** iPads cfgutil prepares at once: one syncing cart (30–32 USB ports) cabled to the Mac. */
export const CFGUTIL_BATCH = 32;

/** Prepares the attached iPads with `cfgutil prepare`. */
export const prepareWithCfgutil: StepExecutor = {
  step: 'prepare',
  who: 'cfgutil',
  plan(devices: readonly Device[]): PlannedCall[] {
    if (devices.length === 0) return [];
    return [
      { service: 'cfgutil', call: 'cfgutil list + get serialNumber', count: 1 },
      {
        service: 'cfgutil',
        call: 'cfgutil prepare --dep',
        count: Math.ceil(devices.length / CFGUTIL_BATCH),
        note: `attached iPads, ${CFGUTIL_BATCH} at a time`,
      },
    ];
  },
  async run(devices, ctx: StepContext) {
    if (devices.length === 0) return;
    const wanted = new Map(devices.map((d) => [d.serial, d]));
    const attached = (await ctx.ports.configurator.attached()).filter((a) => wanted.has(a.serial));
    let done = 0;
    for (let i = 0; i < attached.length; i += CFGUTIL_BATCH) {
      const batch = attached.slice(i, i + CFGUTIL_BATCH);
      const failures = await ctx.ports.configurator.prepare(batch.map((a) => a.ecid));
      const moves: Move[] = batch.map((a) => {
        const failure = failures.get(a.ecid);
        return failure
          ? {
              serial: a.serial,
              to: 'failed',
              by: 'cfgutil',
              ref: a.ecid,
              reason: `Apple Configurator could not prepare it: ${failure}`,
            }
          : { serial: a.serial, to: 'prepared', by: 'cfgutil', ref: a.ecid };
      });
      ctx.record.move(moves);
      done += batch.length;
      ctx.progress(done, devices.length);
    }
    const missing = devices.length - attached.length;
    if (missing > 0) ctx.note(`prepare: ${missing} iPad(s) not attached to this Mac; cable them and run again`);
  },
};

/** Reads a person's confirmations: a CSV of the serials they prepared in Apple Configurator. */
export function prepareByPerson(file: string): StepExecutor {
  return {
    step: 'prepare',
    who: 'person',
    plan: (devices) =>
      devices.length === 0 ? [] : [{ service: 'person', call: `read confirmations from ${file}`, count: 1 }],
    async run(devices, ctx) {
      if (devices.length === 0) return;
      let confirmed: Set<string>;
      try {
        confirmed = new Set(readSerialCsv(readFileSync(file)).serials);
      } catch {
        ctx.note(`prepare: no confirmations yet in ${file}; list the serials prepared by hand there`);
        return;
      }
      const moves: Move[] = devices
        .filter((d) => confirmed.has(d.serial))
        .map((d) => ({ serial: d.serial, to: 'prepared', by: 'person', ref: file }));
      ctx.record.move(moves);
      ctx.progress(moves.length, devices.length);
      if (moves.length < devices.length)
        ctx.note(`prepare: ${devices.length - moves.length} iPad(s) not confirmed yet in ${file}`);
    },
  };
}
