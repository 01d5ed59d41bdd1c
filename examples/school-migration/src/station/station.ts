/**
 * The Configurator station: iPads are plugged into the Mac's USB hub, the station sees each
 * one arrive (`cfgutil list`, polled), reads its serial (`get serialNumber`), finds it in the
 * journal, and runs the steps its state needs — erase (only when allowed) when another
 * organisation's management or cloud configuration is on it, the bootstrap Wi-Fi profile,
 * `prepare`, a check with `get` — up to N iPads at once, each recorded in the same journal as
 * the runner (`prepared`, by `station`). An unknown serial is shown and never touched. An iPad
 * unplugged mid-step is marked and resumed when it comes back; a prepare sent before an unplug
 * (or a crash) is journaled as an intent first and settled by reading the iPad, never by
 * sending it again blindly.
 */
import { CfgutilError, type PrepareOptions } from '@schoolmdm/configurator';
import { normalizeSerial } from '@schoolmdm/core';
import type { Clock } from '../clock.js';
import type { Fleet } from '../model/fleet.js';
import { flowIndex } from '../model/states.js';
import { describeError } from '../steps/retry.js';
import type { Recorder } from '../steps/types.js';
import type { StationCfgutil, StationRow, StationStep, StationSummary } from './types.js';

/** Options of {@link runStation}. */
export interface StationOptions {
  cfgutil: StationCfgutil;
  /** The fleet replayed from the journal, and the recorder that appends to it. */
  fleet: Fleet;
  record: Recorder;
  clock: Clock;
  /** iPads worked on at once. @defaultValue 4 */
  parallel?: number;
  /** Erase iPads that carry another organisation's management or a cloud configuration. */
  allowErase?: boolean;
  /** The bootstrap Wi-Fi profile file and its `PayloadIdentifier`. */
  wifiProfile: { file: string; identifier: string };
  /** `prepare` flags for every iPad (see `prepareOptions`). */
  prepare: Omit<PrepareOptions, 'ecids'>;
  /** How often `cfgutil list` runs. @defaultValue 2000 */
  pollMs?: number;
  /** Stop once nothing has been waiting or working for this long. Without it, only `signal` stops. */
  exitWhenIdleMs?: number;
  signal?: AbortSignal;
  /** Called whenever a row changes. */
  onChange?: (row: StationRow, rows: readonly StationRow[]) => void;
}

const STEP_WORDS: Record<StationStep, string> = {
  identify: 'read its serial number',
  inspect: 'read its state',
  erase: 'erase it',
  wifi: 'install the Wi-Fi profile',
  prepare: 'prepare it',
  verify: 'check it',
};

/** A cloud configuration refuses prepare until the iPad is erased (configurator.md §5.5). */
const CLOUD_CONFIGURATION = /cloud configuration is already present/i;

class NeedsErase extends Error {}

/** Runs the station until `signal` aborts or it has been idle for `exitWhenIdleMs`. */
export async function runStation(options: StationOptions): Promise<StationSummary> {
  const { fleet, record, clock } = options;
  const parallel = Math.max(1, options.parallel ?? 4);
  const pollMs = options.pollMs ?? 2000;
  const started = clock.now();
  const calls: Record<string, number> = {};
  const count = <T>(name: string, p: () => Promise<T>) => {
    calls[name] = (calls[name] ?? 0) + 1;
    return p();
  };
  const c = options.cfgutil;
  const rows = new Map<string, StationRow>();
  const serials = new Map<string, string>();
  const attached = new Set<string>();
  const queue: string[] = [];
  const working = new Map<string, Promise<void>>();
  /** Seen leaving while a step ran, and seen back while it still ran. */
  const interrupted = new Set<string>();
  const returned = new Set<string>();
  /** Refused prepare for a cloud configuration: erase first when it is resumed. */
  const mustErase = new Set<string>();
  let preparedCount = 0;

  const changed = (row: StationRow) => options.onChange?.(row, [...rows.values()]);
  const set = (row: StationRow, patch: Partial<StationRow>) => {
    Object.assign(row, patch);
    changed(row);
  };
  const rowOf = (ecid: string) => {
    let row = rows.get(ecid);
    if (!row) {
      row = { ecid, status: 'waiting' };
      rows.set(ecid, row);
    }
    return row;
  };

  async function poll(): Promise<void> {
    let list: { ecid: string }[];
    try {
      list = await count('list', () => c.list());
    } catch {
      return; // a failed list is retried at the next poll; nothing is decided from it
    }
    const now = new Set(list.map((d) => d.ecid));
    for (const ecid of [...attached]) {
      if (!now.has(ecid)) {
        attached.delete(ecid);
        departed(ecid);
      }
    }
    const fresh = [...now].filter((e) => !attached.has(e));
    const unknownSerial = fresh.filter((e) => !serials.has(e));
    if (unknownSerial.length > 0) {
      try {
        const got = await count('get', () => c.get(['serialNumber'], unknownSerial));
        for (const e of unknownSerial) {
          const s = got.output[e]?.serialNumber;
          if (typeof s === 'string' && s !== '') serials.set(e, normalizeSerial(s));
        }
      } catch {
        // read again at the next poll
      }
    }
    for (const ecid of fresh) {
      if (!serials.has(ecid)) continue; // left before its serial was read, or the read failed: next poll
      attached.add(ecid);
      arrived(ecid);
    }
  }

  function departed(ecid: string): void {
    const row = rows.get(ecid);
    if (!row) return;
    if (working.has(ecid)) interrupted.add(ecid);
    if (row.status === 'waiting') {
      const i = queue.indexOf(ecid);
      if (i >= 0) queue.splice(i, 1);
      set(row, { status: 'unplugged', message: 'unplugged before its turn: plug it back in' });
    }
    // A working iPad's cfgutil call fails; its worker decides (unplugged, resumed on return).
  }

  function arrived(ecid: string): void {
    const serial = serials.get(ecid)!;
    const row = rowOf(ecid);
    if (working.has(ecid)) {
      returned.add(ecid); // back before its worker noticed it left: the worker resumes it
      return;
    }
    const d = fleet.devices.get(serial);
    const resuming = row.status === 'unplugged';
    row.serial = serial;
    if (!d) {
      set(row, { status: 'unknown', message: "not in the school's list: not touched" });
      return;
    }
    row.name = d.name;
    if (!resuming) {
      row.startedAt = undefined;
      row.endedAt = undefined;
      row.step = undefined;
    }
    if (d.state === 'release-requested' || (d.state === 'failed' && d.at === 'release-requested')) {
      set(row, {
        status: 'waiting',
        message: resuming ? `back: resuming${row.step ? ` at ${row.step}` : ''}` : 'waiting for a free slot',
      });
      queue.push(ecid);
      return;
    }
    if (d.state === 'listed') {
      set(row, {
        status: 'not-touched',
        message: 'not in a release request yet (listed): run `school-migration run --until release-requested` first',
      });
    } else if (d.state === 'failed' || d.state === 'skipped') {
      set(row, { status: 'not-touched', message: `${d.state} at ${d.at}: ${d.reason ?? ''}`.trim() });
    } else if (flowIndex(d.state) >= flowIndex('prepared')) {
      set(row, { status: 'not-touched', message: `already prepared (now ${d.state}): nothing to do` });
    }
  }

  function pump(): void {
    while (working.size < parallel && queue.length > 0) {
      const ecid = queue.shift()!;
      const p = work(ecid).finally(() => {
        working.delete(ecid);
        pump();
      });
      working.set(ecid, p);
    }
  }

  async function stillAttached(ecid: string): Promise<boolean> {
    try {
      return (await count('list', () => c.list())).some((d) => d.ecid === ecid);
    } catch {
      return attached.has(ecid);
    }
  }

  async function props(ecid: string, names: string[]): Promise<Record<string, unknown>> {
    const r = await count('get', () => c.get(names, [ecid]));
    const v = r.output[ecid];
    if (!v) throw r.error ?? new CfgutilError('reported nothing for this iPad', { command: 'get' });
    return v;
  }

  async function work(ecid: string): Promise<void> {
    const row = rowOf(ecid);
    const serial = row.serial!;
    const step = (s: StationStep) => set(row, { step: s, message: `${STEP_WORDS[s]}…` });
    set(row, { status: 'working', startedAt: row.startedAt ?? clock.now() });
    interrupted.delete(ecid);
    returned.delete(ecid);
    try {
      let d = fleet.devices.get(serial)!;
      if (d.state === 'failed') {
        record.move([{ serial, to: d.at, by: 'station', reason: 'plugged in again on the station: retry' }]);
        d = fleet.devices.get(serial)!;
      }
      if (d.pending?.step === 'prepare') {
        // A prepare went out before an unplug or a crash: read the iPad before sending another.
        step('verify');
        if ((await props(ecid, ['isSupervised'])).isSupervised === true) {
          record.move([{ serial, to: 'prepared', by: 'station', ref: ecid }]);
          preparedCount++;
          set(row, {
            status: 'done',
            endedAt: clock.now(),
            message: 'prepared (the prepare sent before it was unplugged had finished)',
          });
          return;
        }
      }
      step('inspect');
      const info = await props(ecid, ['isSupervised', 'installedProfiles']);
      let profiles = profileIds(info.installedProfiles);
      const foreign = profiles.filter((p) => p !== options.wifiProfile.identifier);
      let erased = false;
      const erase = async (why: string) => {
        if (!options.allowErase) throw new NeedsErase(why);
        step('erase');
        await count('erase', () => c.erase(ecid));
        mustErase.delete(ecid);
        erased = true;
        profiles = [];
      };
      if (mustErase.has(ecid)) await erase('cloud configuration present');
      else if (info.isSupervised === true || foreign.length > 0) {
        await erase(
          `managed by another organisation (${info.isSupervised === true ? 'supervised' : ''}${info.isSupervised === true && foreign.length > 0 ? ', ' : ''}${foreign.length > 0 ? `profiles ${foreign.join(', ')}` : ''})`,
        );
      }
      for (;;) {
        if (!profiles.includes(options.wifiProfile.identifier)) {
          step('wifi');
          await count('install-profile', () => c.installProfile(ecid, options.wifiProfile.file));
          profiles.push(options.wifiProfile.identifier);
        }
        step('prepare');
        if (fleet.devices.get(serial)?.pending?.step !== 'prepare') {
          record.intent('prepare', [serial], { ecid, by: 'station' });
        }
        try {
          const r = await count('prepare', () => c.prepare({ ...options.prepare, ecids: [ecid] }));
          if (r.error) throw r.error;
          break;
        } catch (e) {
          if (!(e instanceof CfgutilError) || !CLOUD_CONFIGURATION.test(`${e.message} ${e.detail ?? ''}`)) throw e;
          if (erased) throw e;
          mustErase.add(ecid);
          await erase('cloud configuration present');
        }
      }
      step('verify');
      if ((await props(ecid, ['isSupervised'])).isSupervised !== true) {
        throw new CfgutilError('prepare reported success but the iPad is not supervised', { command: 'get' });
      }
      record.move([{ serial, to: 'prepared', by: 'station', ref: ecid }]);
      preparedCount++;
      set(row, { status: 'done', endedAt: clock.now(), message: 'prepared: unplug it' });
    } catch (e) {
      if (e instanceof NeedsErase) {
        const reason = `needs erase: ${e.message}; run the station with --allow-erase, or erase it in Apple Configurator`;
        record.move([{ serial, to: 'failed', by: 'station', ref: ecid, reason }]);
        set(row, {
          status: 'needs-erase',
          endedAt: clock.now(),
          message: `${e.message}: erasing needs --allow-erase`,
        });
        return;
      }
      const left = interrupted.delete(ecid);
      if (left || !(await stillAttached(ecid))) {
        set(row, {
          status: 'unplugged',
          message: `unplugged during ${row.step ?? 'work'}: plug it back in to resume`,
        });
        if (returned.delete(ecid) && attached.has(ecid)) {
          set(row, { status: 'waiting', message: `back: resuming at ${row.step ?? 'the start'}` });
          queue.push(ecid);
        } else {
          attached.delete(ecid); // the next poll that lists it again resumes it
        }
        return;
      }
      const reason = `the station could not ${STEP_WORDS[row.step ?? 'inspect']}: ${describeError(e)}`;
      record.move([{ serial, to: 'failed', by: 'station', ref: ecid, reason }]);
      set(row, { status: 'failed', endedAt: clock.now(), message: reason });
    }
  }

  // One listener for the whole run (a signal per sleep would pile up listeners).
  const stopped = new Promise<void>((resolve) => {
    if (options.signal?.aborted) resolve();
    options.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  let idleSince = clock.now();
  while (!options.signal?.aborted) {
    await poll();
    pump();
    const busy = working.size > 0 || queue.length > 0;
    if (busy) idleSince = clock.now();
    else if (options.exitWhenIdleMs !== undefined && clock.now() - idleSince >= options.exitWhenIdleMs) break;
    await Promise.race([clock.sleep(pollMs), stopped]);
  }
  // Stopping: what is in flight finishes (a prepare cannot be called back), nothing new starts.
  queue.length = 0;
  await Promise.all(working.values());
  const all = [...rows.values()];
  return {
    rows: all,
    prepared: preparedCount,
    failed: all.filter((r) => r.status === 'failed').length,
    needsErase: all.filter((r) => r.status === 'needs-erase').length,
    unknown: all.filter((r) => r.status === 'unknown').map((r) => r.serial ?? r.ecid),
    unplugged: all.filter((r) => r.status === 'unplugged').map((r) => r.serial ?? r.ecid),
    calls,
    elapsedMs: clock.now() - started,
  };
}

/** `installedProfiles` entries as identifiers (strings, or dictionaries holding one). */
function profileIds(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return value
    .map((p) => {
      if (typeof p === 'string') return p;
      if (typeof p === 'object' && p !== null) {
        const o = p as Record<string, unknown>;
        const id = o.PayloadIdentifier ?? o.identifier ?? o.Identifier;
        return typeof id === 'string' ? id : undefined;
      }
      return undefined;
    })
    .filter((s): s is string => s !== undefined);
}
