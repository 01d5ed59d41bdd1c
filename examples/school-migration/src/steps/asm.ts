/**
 * Steps 7.1 (seen in ASM) and 7.2 (assigned to Mosyle) of the seed, through the Apple School
 * Manager API: paged reads, and assignment activities of up to 1,000 serials (never one call
 * per device), each journaled as an intent before it is sent.
 */
import { chunk } from '@schoolmdm/core';
import type { Device } from '../model/fleet.js';
import { describeError, sendSettled } from './retry.js';
import type { Move, PlannedCall, StepContext, StepExecutor } from './types.js';

/** Serials per assignment activity (Apple's maximum). */
export const ACTIVITY_SIZE = 1000;
/** Reads of ASM while a prepared iPad has not shown up yet (ASM lags Configurator). */
const FIND_ATTEMPTS = 4;

/** Finds prepared iPads in the school's Apple School Manager. */
export const findInAsm: StepExecutor = {
  step: 'find-in-asm',
  who: 'api',
  plan: (devices) =>
    devices.length === 0
      ? []
      : [
          {
            service: 'asm',
            call: 'GET /v1/orgDevices (paged, 1,000 per page)',
            count: Math.ceil(devices.length / 1000),
          },
        ],
  async run(devices, ctx) {
    let left = [...devices];
    for (let attempt = 0; attempt < FIND_ATTEMPTS && left.length > 0; attempt++) {
      if (attempt > 0) await ctx.clock.sleep(60_000 * attempt);
      const seen = await ctx.ports.asm.readDevices(left.map((d) => d.serial));
      const found = left.filter((d) => seen.get(d.serial)?.inOrg);
      ctx.record.move(found.map((d) => ({ serial: d.serial, to: 'in-asm', by: 'api', ref: 'orgDevices' })));
      left = left.filter((d) => !seen.get(d.serial)?.inOrg);
      ctx.progress(devices.length - left.length, devices.length);
    }
    if (left.length > 0) {
      ctx.note(
        `find in ASM: ${left.length} prepared iPad(s) not in the school's Apple School Manager yet (Configurator adds them; run again later)`,
      );
    }
  },
};

/** Assigns iPads to the Mosyle server in bulk activities, then verifies by paged reads. */
export const assignWithAsmApi: StepExecutor = {
  step: 'assign',
  who: 'api',
  plan(devices: readonly Device[]): PlannedCall[] {
    if (devices.length === 0) return [];
    const activities = Math.ceil(devices.length / ACTIVITY_SIZE);
    return [
      { service: 'asm', call: 'GET /v1/mdmServers', count: 1, note: 'find the Mosyle server' },
      {
        service: 'asm',
        call: 'POST /v1/orgDeviceActivities (ASSIGN_DEVICES)',
        count: activities,
        note: `≤ ${ACTIVITY_SIZE} serials each`,
      },
      { service: 'asm', call: 'GET /v1/orgDeviceActivities/{id} (poll) + activity log', count: activities * 3 },
      { service: 'asm', call: 'GET /v1/mdmServers/{id}/relationships/devices (verify, paged)', count: activities },
    ];
  },
  async run(devices, ctx: StepContext) {
    if (devices.length === 0) return;
    const serverName = ctx.config.data.asm.mosyleServer;
    const server = await ctx.ports.asm.findServer(serverName);
    if (!server) {
      ctx.record.move(
        devices.map((d) => ({
          serial: d.serial,
          to: 'failed',
          by: 'api',
          reason: `no MDM server named "${serverName}" in Apple School Manager: add Mosyle there (Step 4) or fix asm.mosyleServer`,
        })),
      );
      return;
    }
    let done = 0;
    const report = (n: number) => {
      done += n;
      ctx.progress(done, devices.length);
    };
    // An activity already sent before a crash is waited for, never sent again.
    const byActivity = new Map<string, Device[]>();
    const fresh: Device[] = [];
    for (const d of devices) {
      if (d.pending?.step === 'assign' && d.pending.ref) {
        const list = byActivity.get(d.pending.ref) ?? [];
        list.push(d);
        byActivity.set(d.pending.ref, list);
      } else fresh.push(d);
    }
    // Activities sent before a crash, then the new ones; all are waited for at the end and
    // verified with one paged read (never one read per activity or per device).
    const pending: { activityId: string; devices: Device[] }[] = [...byActivity].map(([activityId, list]) => ({
      activityId,
      devices: list,
    }));
    for (const part of chunk(fresh, ACTIVITY_SIZE)) {
      const sent: { activityId: string; devices: Device[] }[] = [];
      const result = await sendSettled(
        ctx,
        part,
        async (items, attempt) => {
          const serials = items.map((d) => d.serial);
          const intent = ctx.record.intent('assign', serials, { serverId: server.id, attempt: String(attempt) });
          const activities = await ctx.ports.asm.assign(server.id, serials);
          for (const a of activities) {
            ctx.record.sent(intent, a.activityId);
            const set = new Set(a.serials);
            sent.push({ activityId: a.activityId, devices: items.filter((d) => set.has(d.serial)) });
          }
        },
        async (items) => {
          const v = await ctx.ports.asm.verify(
            server.id,
            items.map((d) => d.serial),
          );
          return new Set(items.filter((d) => v.get(d.serial) === 'assigned'));
        },
      );
      pending.push(...sent);
      if (result.failed.length > 0) {
        ctx.record.move(
          result.failed.map((d) => ({
            serial: d.serial,
            to: 'failed',
            by: 'api',
            reason: `Apple School Manager did not take the assignment (${result.error}); run again with --only failed`,
          })),
        );
        report(result.failed.length);
      }
      // Devices the settle reads found assigned although a call failed.
      const handled = new Set([...sent.flatMap((x) => x.devices), ...result.failed]);
      const settled = part.filter((d) => !handled.has(d));
      if (settled.length > 0) {
        ctx.record.move(settled.map((d) => ({ serial: d.serial, to: 'assigned', by: 'api', ref: 'verified' })));
        report(settled.length);
      }
    }
    if (pending.length > 0) report(await settleActivities(ctx, server.id, pending));
  },
};

async function settleActivities(
  ctx: StepContext,
  serverId: string,
  activities: { activityId: string; devices: Device[] }[],
): Promise<number> {
  const failed = new Map<string, string>();
  for (const a of activities) {
    try {
      for (const [serial, why] of (await ctx.ports.asm.waitForActivity(a.activityId)).failed) failed.set(serial, why);
    } catch (e) {
      ctx.note(`activity ${a.activityId}: could not read its log (${describeError(e)}); verifying by reads`);
    }
  }
  const all = activities.flatMap((a) => a.devices.map((d) => ({ d, activityId: a.activityId })));
  const verified = await ctx.ports.asm.verify(
    serverId,
    all.map((x) => x.d.serial),
  );
  const moves: Move[] = all.map(({ d, activityId }) => {
    const v = verified.get(d.serial);
    if (v === 'assigned') return { serial: d.serial, to: 'assigned', by: 'api', ref: activityId };
    const why = failed.get(d.serial);
    return {
      serial: d.serial,
      to: 'failed',
      by: 'api',
      ref: activityId,
      reason: why
        ? `Apple School Manager refused the assignment: ${why}`
        : v === 'not-in-org'
          ? "not in the school's Apple School Manager any more: check Devices in ASM"
          : v === 'assigned-elsewhere'
            ? 'assigned to another MDM server in Apple School Manager: assign it to Mosyle in Devices, or run again with --only failed'
            : 'Apple dropped it from the activity without a reason: run again with --only failed',
    };
  });
  ctx.record.move(moves);
  return all.length;
}
