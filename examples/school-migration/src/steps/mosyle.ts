/**
 * Steps 7.3 of the seed through the Mosyle API: wait for enrolment, rename in bulk and confirm
 * by reading the names back (Mosyle has no "refresh device" command), add to shared device
 * groups in bulk. Each write is journaled as an intent before it is sent.
 */
import { chunk } from '@schoolmdm/core';
import type { Device } from '../model/fleet.js';
import { sendSettled } from './retry.js';
import type { Move, StepContext, StepExecutor } from './types.js';

/** How long a run waits for assigned iPads to show in Mosyle (services' clock). */
export const ENROL_WAIT_MS = 30 * 60_000;
/** First wait between reads while iPads enrol. */
export const ENROL_POLL_MS = 4 * 60_000;
/** How long a rename may take to show (Mosyle collects device information about hourly). */
export const RENAME_CONFIRM_MS = 2 * 60 * 60_000;
/** Devices per bulk update call. */
export const MOSYLE_BULK = 1000;

/** Waits until assigned iPads show in Mosyle (paged reads with back-off). */
export const waitForEnrolment: StepExecutor = {
  step: 'enrol',
  who: 'api',
  plan: (devices) =>
    devices.length === 0
      ? []
      : [
          {
            service: 'mosyle',
            call: 'POST /listdevices (serial filter, paged)',
            count: Math.ceil(devices.length / 500) * 2,
            note: 'polled until they show',
          },
        ],
  async run(devices, ctx) {
    let left = [...devices];
    const deadline = ctx.clock.now() + ENROL_WAIT_MS;
    // An iPad shows in Mosyle minutes after its assignment (it must check in): read at once
    // (a resumed run), then every few minutes — each read of 10,000 serials is ~100 requests.
    let wait = ENROL_POLL_MS;
    while (left.length > 0) {
      const seen = await ctx.ports.mosyle.findBySerial(left.map((d) => d.serial));
      const moves: Move[] = [];
      for (const d of left) {
        const m = seen.get(d.serial);
        if (m) moves.push({ serial: d.serial, to: 'enrolled', by: 'api', ref: 'listdevices', udid: m.udid });
      }
      ctx.record.move(moves);
      left = left.filter((d) => !seen.has(d.serial));
      ctx.progress(devices.length - left.length, devices.length);
      if (left.length === 0 || ctx.clock.now() + wait > deadline) break;
      await ctx.clock.sleep(wait);
      wait = Math.min(wait * 2, 4 * ENROL_POLL_MS);
    }
    if (left.length > 0) {
      ctx.note(`enrol: ${left.length} assigned iPad(s) not in Mosyle yet; turn them on with Wi-Fi and run again`);
    }
  },
};

/** Renames in bulk, then reads the names back. */
export const renameWithMosyleApi: StepExecutor = {
  step: 'rename',
  who: 'api',
  plan: (devices) =>
    devices.length === 0
      ? []
      : [
          {
            service: 'mosyle',
            call: 'POST /devices (bulk update: name)',
            count: Math.ceil(devices.length / MOSYLE_BULK),
          },
          {
            service: 'mosyle',
            call: 'POST /listdevices (read names back)',
            count: Math.ceil(devices.length / 500) * 2,
          },
        ],
  async run(devices, ctx) {
    if (devices.length === 0) return;
    const toConfirm: Device[] = [];
    const unsure: Device[] = [];
    let fresh: Device[] = [];
    // A rename sent before a crash is confirmed, never sent again; one that may have been sent
    // (intent written, answer not) is given the time Mosyle takes to show a name first.
    for (const d of devices) {
      if (d.pending?.step === 'rename') (d.pending.ref ? toConfirm : unsure).push(d);
      else fresh.push(d);
    }
    if (unsure.length > 0) {
      const notShown = await ctx.ports.mosyle.confirmNames(
        unsure.map((d) => ({ serial: d.serial, name: d.name })),
        RENAME_CONFIRM_MS,
      );
      ctx.record.move(
        unsure
          .filter((d) => !notShown.has(d.serial))
          .map((d) => ({ serial: d.serial, to: 'renamed', by: 'api', ref: 'read back' })),
      );
      fresh = [...fresh, ...unsure.filter((d) => notShown.has(d.serial))];
    }
    const failedMoves: Move[] = [];
    for (const part of chunk(fresh, MOSYLE_BULK)) {
      const result = await sendSettled(
        ctx,
        part,
        async (items) => {
          const intent = ctx.record.intent(
            'rename',
            items.map((d) => d.serial),
            { names: 'from plan' },
          );
          const r = await ctx.ports.mosyle.rename(items.map((d) => ({ serial: d.serial, name: d.name })));
          ctx.record.sent(intent, r.ref ?? 'no-request-id');
          for (const d of items) {
            const why = r.failed.get(d.serial);
            if (why)
              failedMoves.push({
                serial: d.serial,
                to: 'failed',
                by: 'api',
                reason: `Mosyle refused the new name: ${why}`,
              });
            else toConfirm.push(d);
          }
        },
        async (items) => {
          const seen = await ctx.ports.mosyle.findBySerial(items.map((d) => d.serial));
          return new Set(items.filter((d) => seen.get(d.serial)?.name === d.name));
        },
      );
      for (const d of result.failed) {
        failedMoves.push({
          serial: d.serial,
          to: 'failed',
          by: 'api',
          reason: `the rename did not go through (${result.error}); run again with --only failed`,
        });
      }
      // Names the settle reads already showed.
      const handled = new Set([...toConfirm, ...result.failed, ...failedMoves.map((m) => m.serial)]);
      const shown = part.filter((d) => !handled.has(d) && !handled.has(d.serial));
      ctx.record.move(shown.map((d) => ({ serial: d.serial, to: 'renamed', by: 'api', ref: 'read back' })));
    }
    ctx.record.move(failedMoves);
    const notShown = await ctx.ports.mosyle.confirmNames(
      toConfirm.map((d) => ({ serial: d.serial, name: d.name })),
      RENAME_CONFIRM_MS,
    );
    ctx.record.move(
      toConfirm.map((d) =>
        notShown.has(d.serial)
          ? {
              serial: d.serial,
              to: 'failed',
              by: 'api',
              reason: `the new name "${d.name}" did not show in Mosyle within ${RENAME_CONFIRM_MS / 3_600_000} h: check it in Management > Devices > Devices overview, then run again with --only failed`,
            }
          : { serial: d.serial, to: 'renamed', by: 'api', ref: d.pending?.ref ?? 'read back' },
      ),
    );
    ctx.progress(devices.length, devices.length);
  },
};

/** Adds iPads to their shared device group, in bulk per group, verified by reading the group. */
export const groupWithMosyleApi: StepExecutor = {
  step: 'group',
  who: 'api',
  plan(devices) {
    if (devices.length === 0) return [];
    const groups = new Set(devices.map((d) => d.group)).size;
    return [
      { service: 'mosyle', call: 'POST /listshareddevicegroups', count: 1 },
      {
        service: 'mosyle',
        call: 'POST /shareddevicegroups (assign devices)',
        count: groups,
        note: `one per group (${groups})`,
      },
      { service: 'mosyle', call: 'read group members (verify)', count: groups * 2 },
    ];
  },
  async run(devices, ctx: StepContext) {
    if (devices.length === 0) return;
    // One read of every group (with members) before, one after: never one read per group.
    const groups = await ctx.ports.mosyle.groupsWithMembers();
    const byGroup = new Map<string, Device[]>();
    for (const d of devices) byGroup.set(d.group, [...(byGroup.get(d.group) ?? []), d]);
    const missingUdid = devices.filter((d) => !d.udid);
    const udids = new Map(devices.filter((d) => d.udid).map((d) => [d.serial, d.udid!]));
    if (missingUdid.length > 0) {
      const seen = await ctx.ports.mosyle.findBySerial(missingUdid.map((d) => d.serial));
      for (const [s, m] of seen) udids.set(s, m.udid);
    }
    const added: {
      group: string;
      groupId: string;
      devices: Device[];
      refused: Map<string, string>;
      error?: string;
      failed: Device[];
    }[] = [];
    let done = 0;
    for (const [group, list] of byGroup) {
      const g = groups.get(group);
      if (!g) {
        ctx.record.move(
          list.map((d) => ({
            serial: d.serial,
            to: 'failed',
            by: 'api',
            reason: `no shared device group "${group}" in Mosyle: create it in My School > Hierarchy > Shared Device Groups (Step 5), then run again with --only failed`,
          })),
        );
        continue;
      }
      const already = list.filter((d) => g.udids.has(udids.get(d.serial) ?? ''));
      const toAdd = list.filter((d) => !already.includes(d) && udids.has(d.serial));
      const noUdid = list.filter((d) => !udids.has(d.serial));
      ctx.record.move([
        ...already.map((d) => ({
          serial: d.serial,
          to: 'grouped' as const,
          by: 'api' as const,
          ref: g.id,
          udid: udids.get(d.serial),
        })),
        ...noUdid.map((d) => ({
          serial: d.serial,
          to: 'failed' as const,
          by: 'api' as const,
          reason: 'not listed in Mosyle any more: check Management > Devices',
        })),
      ]);
      const refused = new Map<string, string>();
      const result = await sendSettled(
        ctx,
        toAdd,
        async (items) => {
          if (items.length === 0) return;
          const intent = ctx.record.intent(
            'group',
            items.map((d) => d.serial),
            { groupId: g.id },
          );
          const r = await ctx.ports.mosyle.addToGroup(
            g.id,
            items.map((d) => udids.get(d.serial)!),
          );
          ctx.record.sent(intent, r.ref ?? 'no-request-id');
          for (const [udid, why] of r.failed) refused.set(udid, why);
        },
        async (items) => {
          const m = (await ctx.ports.mosyle.groupsWithMembers()).get(group)?.udids ?? new Set<string>();
          return new Set(items.filter((d) => m.has(udids.get(d.serial)!)));
        },
      );
      added.push({
        group,
        groupId: g.id,
        devices: toAdd,
        refused,
        failed: result.failed,
        ...(result.error ? { error: result.error } : {}),
      });
    }
    const after = added.length > 0 ? await ctx.ports.mosyle.groupsWithMembers() : groups;
    for (const a of added) {
      const members = after.get(a.group)?.udids ?? new Set<string>();
      ctx.record.move(
        a.devices.map((d) => {
          const udid = udids.get(d.serial)!;
          if (members.has(udid)) return { serial: d.serial, to: 'grouped', by: 'api', ref: a.groupId, udid };
          const why = a.refused.get(udid) ?? (a.failed.includes(d) ? a.error : 'not in the group after the call');
          return {
            serial: d.serial,
            to: 'failed',
            by: 'api',
            reason: `could not add it to "${a.group}": ${why}; run again with --only failed`,
          };
        }),
      );
      done += a.devices.length;
      ctx.progress(done, devices.length);
    }
    ctx.progress(devices.length, devices.length);
  },
};

/** A device whose every step is confirmed is done. */
export const finish: StepExecutor = {
  step: 'finish',
  who: 'program',
  plan: () => [],
  async run(devices, ctx) {
    ctx.record.move(devices.map((d) => ({ serial: d.serial, to: 'done', by: 'program' })));
    ctx.progress(devices.length, devices.length);
  },
};
