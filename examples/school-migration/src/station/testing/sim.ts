/**
 * A scripted Apple Configurator station for tests and the benchmark: iPads that arrive and
 * leave over time, each with what a real one can carry (a cloud configuration, another
 * organisation's profiles, a slow or failing prepare), and the answers `cfgutil --format JSON`
 * gives for them (configurator.md §5: `list`, `get`, `erase`, `install-profile`, `prepare`,
 * `help prepare`). Durations run on an injected {@link Clock}, so a test runs on real
 * milliseconds and the benchmark on simulated minutes.
 */
import { readFileSync } from 'node:fs';
import { readPlist } from '@schoolmdm/configurator';
import type { Clock } from '../../clock.js';

/** One simulated iPad. */
export interface SimIpad {
  ecid: string;
  serial: string;
  /** Cabled to the Mac now. */
  attached: boolean;
  /** A cloud configuration is on it (another organisation's, or ours once prepared). */
  cloudConfiguration?: 'foreign' | 'ours';
  /** Supervised (by the old owner, or by us once prepared). */
  supervised: boolean;
  /** `PayloadIdentifier`s of installed profiles. */
  profiles: string[];
  /** Prepare takes this long. */
  prepareMs: number;
  /** Erase takes this long. */
  eraseMs: number;
  /** Prepare fails with this message (every time). */
  prepareFailure?: string;
  /** Unplugged this long after its first prepare starts (then the prepare is lost). */
  unplugDuringPrepareAfterMs?: number;
  /** Plugged back after this many `cfgutil list` runs have seen it gone (a person notices, then re-cables it). */
  replugAfterLists?: number;
  /** Successful prepares (a second one would be a repeated step). */
  prepares: number;
  erases: number;
}

/** One command the fake answered. */
export interface SimCall {
  at: number;
  command: string;
  ecids: string[];
  args: string[];
  exitCode: number;
}

/** The answer of one cfgutil run. */
export interface SimAnswer {
  stdout: string;
  exitCode: number;
}

/** The flags `help prepare` lists (the confirmed three, an enrollment URL flag and a few skips). */
export const SIM_PREPARE_HELP = [
  'Usage: cfgutil prepare [--dep] [--enrollment-url <url>] [--skip-language] [--skip-region]',
  '       [--skip-siri] [--skip-passcode] [--skip-appleid] [--skip-tos] [--skip-all]',
].join('\n');

/** A Mac with a USB hub and the iPads plugged into it over time. */
export class StationSim {
  readonly ipads = new Map<string, SimIpad>();
  readonly calls: SimCall[] = [];
  /** iPads erasing or preparing at this moment, and the most at once so far. */
  busy = 0;
  maxBusy = 0;
  /** Called after each successful prepare (the benchmark plugs the next wave from here). */
  onPrepared: ((ipad: SimIpad) => void) | undefined;
  /** Called after each answered command (tests script events on what the station did). */
  onCall: ((call: SimCall) => void) | undefined;
  /** iPads to plug back after so many more `list` runs. */
  readonly #replug = new Map<string, number>();
  readonly #clock: Clock;
  readonly #unplug = new Map<string, AbortController>();

  /** How long `list`, `get` and `install-profile` take (0: answered at once). */
  readonly #timing: { commandMs: number; installMs: number };

  constructor(clock: Clock, timing: { commandMs?: number; installMs?: number } = {}) {
    this.#clock = clock;
    this.#timing = { commandMs: timing.commandMs ?? 0, installMs: timing.installMs ?? 5 };
  }

  /** Adds an iPad (not attached yet). */
  add(ipad: Partial<SimIpad> & { ecid: string; serial: string }): SimIpad {
    const d: SimIpad = {
      attached: false,
      supervised: false,
      profiles: [],
      prepareMs: 50,
      eraseMs: 30,
      prepares: 0,
      erases: 0,
      ...ipad,
    };
    this.ipads.set(d.ecid, d);
    return d;
  }

  plug(ecid: string): void {
    const d = this.#get(ecid);
    d.attached = true;
    this.#unplug.set(ecid, new AbortController());
  }

  unplug(ecid: string): void {
    const d = this.#get(ecid);
    d.attached = false;
    this.#unplug.get(ecid)?.abort(new Error('unplugged'));
  }

  /** Runs `fn` after `ms` on the sim's clock (a scripted arrival or departure). */
  at(ms: number, fn: () => void): void {
    void this.#clock.sleep(ms).then(fn);
  }

  /** Answers one cfgutil argv, as `cfgutil` would. */
  async run(argv: readonly string[]): Promise<SimAnswer> {
    const ecids: string[] = [];
    const rest: string[] = [];
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === '--format' || a === '-C' || a === '-K') i++;
      else if (a === '--ecid' || a === '-e') ecids.push(argv[++i]!);
      else rest.push(a);
    }
    const [command = '', ...args] = rest;
    if (this.#timing.commandMs > 0 && (command === 'list' || command === 'get'))
      await this.#clock.sleep(this.#timing.commandMs);
    const answer = await this.#answer(command, args, ecids);
    const call: SimCall = { at: this.#clock.now(), command, ecids, args, exitCode: answer.exitCode };
    this.calls.push(call);
    if (command === 'list') {
      for (const [ecid, n] of this.#replug) {
        if (n <= 1) {
          this.#replug.delete(ecid);
          this.plug(ecid);
        } else this.#replug.set(ecid, n - 1);
      }
    }
    this.onCall?.(call);
    return answer;
  }

  async #answer(command: string, args: string[], ecids: string[]): Promise<SimAnswer> {
    const out = (o: Record<string, unknown>, exitCode = 0): SimAnswer => ({
      stdout: JSON.stringify({ Command: command, ...o }),
      exitCode,
    });
    const error = (message: string, affected: string[], all: string[]) =>
      out(
        {
          Type: 'Error',
          Message: message,
          Code: 33001,
          Domain: 'ConfigurationUtilityErrorDomain',
          AffectedDevices: affected,
          UnaffectedDevices: all.filter((e) => !affected.includes(e)),
        },
        affected.length === all.length ? 1 : 0,
      );
    const gone = (e: string) => !this.ipads.get(e)?.attached;
    if (command === 'help') return { stdout: SIM_PREPARE_HELP, exitCode: 0 };
    if (command === 'list') {
      const list = [...this.ipads.values()].filter((d) => d.attached);
      return out({
        Type: 'CommandOutput',
        Devices: list.map((d) => d.ecid),
        Output: Object.fromEntries(
          list.map((d, k) => [
            d.ecid,
            { ECID: d.ecid, deviceType: 'iPad12,1', name: 'iPad', locationID: 0x14100000 + k },
          ]),
        ),
      });
    }
    const targets = ecids.length > 0 ? ecids : [...this.ipads.values()].filter((d) => d.attached).map((d) => d.ecid);
    const missing = targets.filter(gone);
    if (command === 'get') {
      const present = targets.filter((e) => !gone(e));
      const o = out({
        Type: missing.length > 0 ? 'Error' : 'CommandOutput',
        Devices: present,
        Output: Object.fromEntries(
          present.map((e) => {
            const d = this.ipads.get(e)!;
            const v: Record<string, unknown> = {
              serialNumber: d.serial,
              isSupervised: d.supervised,
              installedProfiles: [...d.profiles],
            };
            return [e, Object.fromEntries(args.map((p) => [p, v[p] ?? null]))];
          }),
        ),
        ...(missing.length > 0
          ? { Message: 'The device is no longer connected.', AffectedDevices: missing, UnaffectedDevices: present }
          : {}),
      });
      if (present.length === 0 && missing.length > 0) o.exitCode = 1;
      return o;
    }
    if (missing.length > 0) return error('The device is no longer connected.', missing, targets);
    if (command === 'erase') {
      const d = this.ipads.get(targets[0]!)!;
      if (!(await this.#take(d, d.eraseMs)))
        return error('The device was disconnected while erasing.', [d.ecid], targets);
      Object.assign(d, { supervised: false, profiles: [], cloudConfiguration: undefined });
      d.erases++;
      return out({ Type: 'CommandOutput', Devices: targets, Output: {} });
    }
    if (command === 'install-profile') {
      const d = this.ipads.get(targets[0]!)!;
      const profile = readPlist(readFileSync(args[0]!)) as { PayloadIdentifier: string };
      await this.#take(d, this.#timing.installMs);
      if (!d.attached) return error('The device was disconnected.', [d.ecid], targets);
      if (!d.profiles.includes(profile.PayloadIdentifier)) d.profiles.push(profile.PayloadIdentifier);
      // The known false failure on an unsupervised iPad (configurator.md §5.4).
      if (!d.supervised)
        return error('The profile could not be installed: the device is not supervised.', [d.ecid], targets);
      return out({ Type: 'CommandOutput', Devices: targets, Output: {} });
    }
    if (command === 'prepare') {
      if (!args.includes('--dep') && !args.includes('--enrollment-url')) {
        return out({ Type: 'Error', Message: 'prepare needs --dep or --enrollment-url' }, 1);
      }
      const d = this.ipads.get(targets[0]!)!;
      if (d.cloudConfiguration) {
        return error('A cloud configuration is already present on this device.', [d.ecid], targets);
      }
      if (d.unplugDuringPrepareAfterMs !== undefined) {
        const after = d.unplugDuringPrepareAfterMs;
        const back = d.replugAfterLists;
        d.unplugDuringPrepareAfterMs = undefined;
        this.at(after, () => {
          this.unplug(d.ecid);
          if (back !== undefined) this.#replug.set(d.ecid, back);
        });
      }
      if (!(await this.#take(d, d.prepareMs)))
        return error('The device was disconnected while preparing.', [d.ecid], targets);
      if (d.prepareFailure) return error(d.prepareFailure, [d.ecid], targets);
      Object.assign(d, { supervised: true, cloudConfiguration: 'ours' });
      d.prepares++;
      this.onPrepared?.(d);
      return out({ Type: 'CommandOutput', Devices: targets, Output: {} });
    }
    return out({ Type: 'Error', Message: `unknown command ${command}` }, 1);
  }

  /** Waits `ms` unless the iPad is unplugged first; true when it stayed. */
  async #take(d: SimIpad, ms: number): Promise<boolean> {
    const signal = this.#unplug.get(d.ecid)?.signal;
    this.busy++;
    this.maxBusy = Math.max(this.maxBusy, this.busy);
    try {
      await this.#clock.sleep(ms, signal);
      return d.attached;
    } catch {
      return false;
    } finally {
      this.busy--;
    }
  }

  #get(ecid: string): SimIpad {
    const d = this.ipads.get(ecid);
    if (!d) throw new Error(`no simulated iPad ${ecid}`);
    return d;
  }
}
