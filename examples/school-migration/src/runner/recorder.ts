/**
 * The recorder executors write through: every move and intent is appended to the journal
 * (fsynced) before it is applied to the in-memory fleet, so what the program believes is never
 * ahead of what survives a crash.
 */
import { randomUUID } from 'node:crypto';
import type { Journal } from '../journal/journal.js';
import type { JournalLine, StateRecordLine } from '../journal/records.js';
import type { Fleet } from '../model/fleet.js';
import type { Check, Move, Recorder, StepName } from '../steps/types.js';

/** A recorder on a journal and a fleet; `now` stamps the lines. */
export function createRecorder(
  journal: Journal,
  fleet: Fleet,
  now: () => number,
): Recorder & { write(lines: JournalLine[]): void } {
  const write = (lines: JournalLine[]) => {
    journal.append(lines);
    for (const l of lines) fleet.apply(l);
  };
  return {
    write,
    move(moves: readonly Move[]) {
      const at = new Date(now()).toISOString();
      const lines: StateRecordLine[] = [];
      for (const m of moves) {
        const d = fleet.devices.get(m.serial);
        if (!d || d.state === m.to) continue;
        const line: StateRecordLine = { t: 'state', at, serial: m.serial, from: d.state, to: m.to, by: m.by };
        if (m.ref) line.ref = m.ref;
        if (m.reason) line.reason = m.reason;
        if (m.udid) line.udid = m.udid;
        lines.push(line);
      }
      write(lines);
    },
    intent(step: StepName, serials: readonly string[], target: Record<string, string>) {
      const id = `${step}-${randomUUID()}`;
      write([{ t: 'intent', at: new Date(now()).toISOString(), id, step, serials: [...serials], target }]);
      return id;
    },
    sent(id: string, ref: string) {
      write([{ t: 'sent', at: new Date(now()).toISOString(), id, ref }]);
    },
    check(checks: readonly Check[]) {
      const at = new Date(now()).toISOString();
      write(checks.filter((c) => fleet.devices.has(c.serial)).map((c) => ({ t: 'check' as const, at, ...c })));
    },
  };
}
