/**
 * Before any write, a run reads the truth (paged reads of ASM and Mosyle) and moves each device
 * forward to where it really is: a device the school bought itself is already in its ASM, a
 * device moved by hand is already named and grouped, and an intent whose call went out before a
 * crash is settled by what the services show — so it is never sent twice.
 */
import type { Device } from '../model/fleet.js';
import { type FlowState, flowIndex } from '../model/states.js';
import type { Move, StepContext } from '../steps/types.js';

/** How long a resumed run waits before re-reading an assignment that may have been sent. */
export const UNSURE_ASSIGN_WAIT_MS = 5 * 60_000;

/** Where the services say each device is; moves devices forward (never back). */
export async function reconcile(
  devices: readonly Device[],
  ctx: StepContext,
  options: { asmApi: boolean; mosyleApi: boolean },
): Promise<number> {
  const active = devices.filter((d) => d.state !== 'done' && d.state !== 'skipped' && d.state !== 'failed');
  if (active.length === 0 || !options.asmApi) return 0;
  const serials = active.map((d) => d.serial);
  const server = await ctx.ports.asm.findServer(ctx.config.data.asm.mosyleServer);
  const asm = await ctx.ports.asm.readDevices(serials);
  const onMosyleServer = (s: string) => server !== undefined && asm.get(s)?.serverId === server.id;

  // An assignment that may have been sent before a crash, without its activity id in the
  // journal: Apple applies activities within minutes and its reads lag a write, so wait for
  // that before reading again; only what still is not assigned is sent by the step.
  const unsure = active.filter((d) => d.pending?.step === 'assign' && !d.pending.ref && !onMosyleServer(d.serial));
  if (unsure.length > 0 && server) {
    await ctx.clock.sleep(UNSURE_ASSIGN_WAIT_MS);
    const v = await ctx.ports.asm.verify(
      server.id,
      unsure.map((d) => d.serial),
    );
    for (const d of unsure) if (v.get(d.serial) === 'assigned') asm.set(d.serial, { inOrg: true, serverId: server.id });
  }

  let mosyle = new Map<string, { udid: string; name: string | undefined; groups?: string[] }>();
  let members = new Map<string, Set<string>>();
  if (options.mosyleApi) {
    const assigned = active.filter((d) => onMosyleServer(d.serial) || flowIndex(d.state) >= flowIndex('assigned'));
    if (assigned.length > 0) {
      mosyle = await ctx.ports.mosyle.findBySerial(assigned.map((d) => d.serial));
      const groupsNeeded = new Set(assigned.filter((d) => mosyle.get(d.serial)?.name === d.name).map((d) => d.group));
      if (groupsNeeded.size > 0) {
        const groups = await ctx.ports.mosyle.groupsWithMembers();
        members = new Map([...groups].filter(([g]) => groupsNeeded.has(g)).map(([g, v]) => [g, v.udids]));
      }
    }
  }

  const moves: Move[] = [];
  for (const d of active) {
    const a = asm.get(d.serial);
    if (!a?.inOrg) continue;
    let truth: FlowState = 'in-asm';
    const m = mosyle.get(d.serial);
    if (onMosyleServer(d.serial)) {
      truth = 'assigned';
      if (m) {
        truth = 'enrolled';
        if (m.name === d.name) {
          truth = 'renamed';
          if (members.get(d.group)?.has(m.udid)) truth = 'grouped';
        }
      }
    }
    if (flowIndex(truth) > flowIndex(d.state as FlowState)) {
      const move: Move = { serial: d.serial, to: truth, by: 'reconcile', ref: d.pending?.ref ?? 'paged reads' };
      if (m?.udid) move.udid = m.udid;
      moves.push(move);
    }
  }
  ctx.record.move(moves);
  return moves.length;
}
