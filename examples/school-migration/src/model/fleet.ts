/**
 * The fleet: every device's current state, folded from the journal. Nothing else is kept
 * between runs, so replaying the journal always gives the same picture.
 */
import type { Actor, IntentRecordLine, JournalLine } from '../journal/records.js';
import { type DeviceState, FLOW, type FlowState, flowIndex } from './states.js';

/** One state change of a device, for reports. */
export interface DeviceEvent {
  at: string;
  from: DeviceState;
  to: DeviceState;
  by: Actor;
  ref?: string;
  reason?: string;
}

/** A device and where it stands. */
export interface Device {
  serial: string;
  /** Shared device group (cart or class). */
  group: string;
  /** Target name in Mosyle. */
  name: string;
  /** Order in the plan. */
  index: number;
  state: DeviceState;
  /** Last state on the forward path (where a failed or skipped device stopped). */
  at: FlowState;
  reason?: string;
  udid?: string;
  /** Who did the last step, and the request/activity id. */
  by?: Actor;
  ref?: string;
  updatedAt: string;
  /** An intent written before a non-idempotent call and not yet settled by a state change. */
  pending?: { id: string; step: string; ref?: string };
  history: DeviceEvent[];
}

/** Every device, in plan order, plus the open intents. */
export class Fleet {
  readonly devices = new Map<string, Device>();
  readonly intents = new Map<string, IntentRecordLine & { ref?: string }>();
  /** Time the services needed in earlier runs (simulated or real), summed over runs. */
  serviceTimeMs = 0;
  runs = 0;

  /** Builds the fleet from journal lines. */
  static replay(lines: Iterable<JournalLine>): Fleet {
    const f = new Fleet();
    for (const l of lines) f.apply(l);
    return f;
  }

  /** Applies one journal line. */
  apply(line: JournalLine): void {
    switch (line.t) {
      case 'device': {
        if (this.devices.has(line.serial)) {
          const d = this.devices.get(line.serial)!;
          d.group = line.group;
          d.name = line.name;
          return;
        }
        this.devices.set(line.serial, {
          serial: line.serial,
          group: line.group,
          name: line.name,
          index: this.devices.size,
          state: 'listed',
          at: 'listed',
          updatedAt: line.at,
          history: [],
        });
        return;
      }
      case 'state': {
        const d = this.devices.get(line.serial);
        if (!d) return;
        d.state = line.to;
        if (flowIndex(line.to) >= 0) d.at = line.to as FlowState;
        d.reason = line.reason;
        d.by = line.by;
        d.ref = line.ref;
        if (line.udid) d.udid = line.udid;
        d.updatedAt = line.at;
        d.pending = undefined;
        const ev: DeviceEvent = { at: line.at, from: line.from, to: line.to, by: line.by };
        if (line.ref) ev.ref = line.ref;
        if (line.reason) ev.reason = line.reason;
        d.history.push(ev);
        return;
      }
      case 'intent': {
        this.intents.set(line.id, line);
        for (const s of line.serials) {
          const d = this.devices.get(s);
          if (d) d.pending = { id: line.id, step: line.step };
        }
        return;
      }
      case 'sent': {
        const intent = this.intents.get(line.id);
        if (!intent) return;
        intent.ref = line.ref;
        for (const s of intent.serials) {
          const d = this.devices.get(s);
          if (d?.pending?.id === line.id) d.pending.ref = line.ref;
        }
        return;
      }
      case 'run': {
        if (line.event === 'start') this.runs++;
        if (line.event === 'end' && line.serviceTimeMs) this.serviceTimeMs += line.serviceTimeMs;
        return;
      }
    }
  }

  /** Devices in plan order. */
  list(): Device[] {
    return [...this.devices.values()];
  }

  /** Count of devices per state. */
  counts(): Record<DeviceState, number> {
    const c = Object.fromEntries([...FLOW, 'failed', 'skipped'].map((s) => [s, 0])) as Record<DeviceState, number>;
    for (const d of this.devices.values()) c[d.state]++;
    return c;
  }
}
