/**
 * `Cfgutil`: a typed wrapper of Apple Configurator's `cfgutil` command line tool (macOS,
 * "Automation Tools"), always in `--format JSON` mode.
 *
 * Facts it relies on (Apple's `cfgutil help` and the aeios wrapper, `actools/cfgutil.py`):
 * - global options `--format JSON`, `-e/--ecid` (repeatable), `-C/--certificate` and
 *   `-K/--private-key` (DER supervision identity) come before the command;
 * - exit status ≠ 0 means nothing was done; `"Type": "Error"` with exit 0 means a partial
 *   failure, with `AffectedDevices` / `UnaffectedDevices` (aeios `actools/cfgutil.py`);
 * - `prepare --dep --skip-language --skip-region` is the only confirmed prepare flag set;
 *   everything else must come from `cfgutil help prepare` on the machine;
 * - `install-profile` reports failure on unsupervised devices even when the profile is
 *   installed ("this command always report as failing even if it succeeds"), so a failure
 *   is checked with `get installedProfiles` instead of believed.
 */

import { readFile, stat } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { CfgutilError, ConfiguratorError } from '../errors.js';
import { checkOptions } from '../internal/args.js';
import { readPlist } from '../plist/read.js';
import { type CfgutilOutput, CfgutilOutputSchema, ListEntrySchema } from './output.js';
import { runProcess } from './process.js';

/**
 * The supervising organization's identity, as DER files (cfgutil's `-C` and `-K`). Export it
 * from Apple Configurator (Settings > Organizations) and convert the `.p12` with
 * `openssl pkcs12 -in org.p12 -clcerts -nokeys | openssl x509 -outform der -out org.cer.der` and
 * `openssl pkcs12 -in org.p12 -nocerts -nodes | openssl pkey -outform der -out org.key.der`.
 * The key file must not be readable by group or others (`chmod 600`).
 */
export interface SupervisionIdentity {
  /** Path to the DER certificate (`-C`). */
  certificatePath: string;
  /** Path to the DER private key (`-K`). Only the path is ever passed or reported. */
  privateKeyPath: string;
}

/** Options of {@link Cfgutil}. */
export interface CfgutilOptions {
  /**
   * The cfgutil executable: a path, or a name looked up on `PATH`.
   * @default 'cfgutil' (Automation Tools install it as /usr/local/bin/cfgutil)
   */
  binary?: string;
  /** Supervision identity passed as `-C`/`-K` to the commands that act on devices. */
  supervisionIdentity?: SupervisionIdentity;
  /**
   * Per-command timeout; prepare and erase can take minutes.
   * @default 1_800_000 (30 minutes)
   */
  timeoutMs?: number;
  /** Environment of the cfgutil process. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** Per-call option: override (or with `null`, suppress) the constructor's supervision identity. */
export interface IdentityOption {
  supervisionIdentity?: SupervisionIdentity | null;
}

/** A device `cfgutil list` reports. */
export interface CfgutilDevice {
  /** ECID, the hex string cfgutil addresses devices by (`0x1A2B…`). */
  ecid: string;
  udid?: string;
  /** Model identifier, e.g. `iPad7,5`. */
  deviceType?: string;
  /** USB location. */
  locationId?: number;
  /** Device name. */
  name?: string;
  /** Every key cfgutil reported, as it reported it. */
  raw: Record<string, unknown>;
}

/** A command's result: what cfgutil reported per device, and a partial failure if any. */
export interface CfgutilResult<T = unknown> {
  /** The cfgutil command. */
  command: string;
  /** The argv cfgutil ran with. */
  argv: string[];
  /** ECIDs cfgutil acted on (`Devices`). */
  devices: string[];
  /** Output per ECID (`Output`). */
  output: Record<string, T>;
  /**
   * Set when cfgutil exited 0 but reported `"Type": "Error"`: some devices failed
   * (`error.affectedDevices`) while others succeeded.
   */
  error?: CfgutilError;
}

/** Options of {@link Cfgutil.prepare}. */
export interface PrepareOptions extends IdentityOption {
  /** Devices to prepare. */
  ecids: readonly string[];
  /**
   * `--dep`: prepare with Automated Device Enrollment, so the device fetches its cloud
   * configuration (and its MDM enrollment) from Apple School Manager.
   */
  dep?: boolean;
  /** `--skip-language`: skip the Language pane. */
  skipLanguage?: boolean;
  /** `--skip-region`: skip the Region pane. */
  skipRegion?: boolean;
  /**
   * More flags, e.g. `['--skip-siri']`. These are not confirmed by any public source, so each
   * one is checked against what `cfgutil help prepare` lists on this machine before it is
   * passed; an unlisted flag is a {@link CfgutilError}. Values go after their flag as
   * separate elements.
   */
  extraArgs?: readonly string[];
}

/** What {@link Cfgutil.installProfile} established. */
export interface InstallProfileResult {
  ecid: string;
  /** The profile's top-level `PayloadIdentifier`. */
  profileIdentifier: string;
  /**
   * `exit-status`: cfgutil reported success. `installed-profiles`: cfgutil reported a
   * failure, but `get installedProfiles` lists the profile (the known false failure on
   * unsupervised devices).
   */
  confirmedBy: 'exit-status' | 'installed-profiles';
  /** The failure cfgutil reported when `confirmedBy` is `installed-profiles`. */
  reportedFailure?: CfgutilError;
}

const ECID = /^(0x)?[0-9A-Fa-f]{1,20}$/;
const CONFIRMED_PREPARE_FLAGS = new Set(['--dep', '--skip-language', '--skip-region']);

/**
 * Typed wrapper of `cfgutil --format JSON` (Apple Configurator's Automation Tools, macOS).
 *
 * @example
 * const cfgutil = new Cfgutil({ supervisionIdentity: { certificatePath: 'org.cer.der', privateKeyPath: 'org.key.der' } });
 * for (const d of await cfgutil.list()) {
 *   await cfgutil.installProfile(d.ecid, 'bootstrap-wifi.mobileconfig');
 *   await cfgutil.prepare({ ecids: [d.ecid], dep: true, skipLanguage: true, skipRegion: true });
 * }
 */
export class Cfgutil {
  readonly binary: string;
  private readonly identity: SupervisionIdentity | undefined;
  private readonly timeoutMs: number;
  private readonly env: NodeJS.ProcessEnv | undefined;
  private prepareFlags: Promise<Set<string>> | undefined;

  constructor(options?: CfgutilOptions) {
    options = checkOptions('new Cfgutil()', options, ['binary', 'supervisionIdentity', 'timeoutMs', 'env']);
    this.binary = options.binary ?? 'cfgutil';
    this.identity = options.supervisionIdentity;
    this.timeoutMs = options.timeoutMs ?? 30 * 60_000;
    this.env = options.env;
  }

  /** `cfgutil list`: the attached devices. */
  async list(): Promise<CfgutilDevice[]> {
    const result = await this.exec('list', [], { ecids: [], identity: null, partial: 'throw' });
    return Object.entries(result.output).map(([key, value]) => {
      const parsed = ListEntrySchema.safeParse(value);
      if (!parsed.success) {
        throw new CfgutilError(
          'list printed an unexpected device entry',
          { command: 'list', argv: result.argv },
          {
            cause: parsed.error,
          },
        );
      }
      const e = parsed.data;
      const device: CfgutilDevice = { ecid: e.ECID ?? key, raw: e };
      if (e.UDID !== undefined) device.udid = e.UDID;
      if (e.deviceType !== undefined) device.deviceType = e.deviceType;
      if (e.locationID !== undefined) device.locationId = e.locationID;
      if (e.name !== undefined) device.name = e.name;
      return device;
    });
  }

  /**
   * `cfgutil get <properties…>`: property values per device, e.g.
   * `get(['isSupervised', 'installedProfiles'], [ecid])`. Names are cfgutil's
   * (`cfgutil get supportedPropertyNames` lists them). A device that failed is reported in
   * `result.error` instead of failing the others.
   *
   * @param ecids Devices to ask; all attached devices when omitted.
   */
  async get(
    properties: readonly string[],
    ecids: readonly string[] = [],
  ): Promise<CfgutilResult<Record<string, unknown>>> {
    if (properties.length === 0) throw new CfgutilError('needs at least one property name', { command: 'get' });
    for (const p of properties) {
      if (!/^[A-Za-z][A-Za-z0-9_.]*$/.test(p)) {
        throw new CfgutilError(
          `"${p}" is not a property name`,
          { command: 'get' },
          {
            hint: 'cfgutil get supportedPropertyNames lists valid names',
          },
        );
      }
    }
    const result = await this.exec('get', [...properties], { ecids, identity: null, partial: 'report' });
    const output: Record<string, Record<string, unknown>> = {};
    for (const [ecid, value] of Object.entries(result.output)) {
      // One property may come back as the bare value; normalise to { property: value }.
      output[ecid] =
        typeof value === 'object' && value !== null && !Array.isArray(value)
          ? (value as Record<string, unknown>)
          : { [properties[0]!]: value };
    }
    return { ...result, output };
  }

  /**
   * `cfgutil install-profile <file>` on one device.
   *
   * On an unsupervised device (e.g. at the Hello screen before `prepare`) cfgutil reports a
   * failure even when the profile was installed. So a failure is not believed: the wrapper
   * asks `get installedProfiles` and decides from the profile's `PayloadIdentifier`. Which
   * shape cfgutil gives `installedProfiles` entries is not documented; identifiers given as
   * strings and as values inside dictionaries are both recognised.
   *
   * @throws {CfgutilError} when cfgutil fails and the profile is not installed.
   */
  async installProfile(ecid: string, file: string, options: IdentityOption = {}): Promise<InstallProfileResult> {
    const path = resolvePath(file);
    const profileIdentifier = await this.profileIdentifier(path);
    let reported: CfgutilError;
    try {
      await this.exec('install-profile', [path], { ecids: [ecid], identity: this.pick(options), partial: 'throw' });
      return { ecid, profileIdentifier, confirmedBy: 'exit-status' };
    } catch (e) {
      // Only a failure cfgutil itself reported may be a false one; not being able to run it is real.
      if (!(e instanceof CfgutilError) || typeof e.exitCode !== 'number') throw e;
      reported = e;
    }
    let installed: unknown;
    try {
      const got = await this.get(['installedProfiles'], [ecid]);
      installed = got.output[ecid]?.installedProfiles;
    } catch (e) {
      throw new CfgutilError(
        `${reported.message.replace(/^cfgutil install-profile: /, '')}; checking installedProfiles also failed`,
        detailsOf(reported),
        { cause: e },
      );
    }
    if (listsProfile(installed, profileIdentifier)) {
      return { ecid, profileIdentifier, confirmedBy: 'installed-profiles', reportedFailure: reported };
    }
    throw new CfgutilError(
      `${reported.message.replace(/^cfgutil install-profile: /, '')}; installedProfiles does not list "${profileIdentifier}"`,
      detailsOf(reported),
      {
        cause: reported,
        hint: 'the device must be unlocked at the Hello screen or supervised (pass supervisionIdentity) to accept a profile',
      },
    );
  }

  /**
   * `cfgutil prepare` for one or more devices, with flags from the confirmed set only
   * (`--dep`, `--skip-language`, `--skip-region`) plus `extraArgs` that
   * `cfgutil help prepare` lists. The devices must be at Setup Assistant: a device that
   * has a cloud configuration already refuses ("A cloud configuration is already present on
   * this device"); erase it first.
   *
   * @throws {CfgutilError} when no prepare mode is chosen, a flag is not offered by this
   *   cfgutil, or cfgutil fails for every device. Devices that failed while others
   *   succeeded are reported in `result.error`.
   */
  async prepare(options: PrepareOptions): Promise<CfgutilResult> {
    if (!options.ecids || options.ecids.length === 0) {
      throw new CfgutilError('needs at least one ECID', { command: 'prepare' });
    }
    const args: string[] = [];
    if (options.dep) args.push('--dep');
    if (options.skipLanguage) args.push('--skip-language');
    if (options.skipRegion) args.push('--skip-region');
    const extra = options.extraArgs ?? [];
    if (extra.length > 0) {
      const offered = await this.prepareHelpFlags();
      for (const a of extra) {
        if (a.startsWith('-') && !CONFIRMED_PREPARE_FLAGS.has(a) && !offered.has(a.split('=')[0]!)) {
          throw new CfgutilError(
            `this cfgutil's "help prepare" does not list ${a}`,
            { command: 'prepare' },
            {
              hint: `flags it lists: ${[...offered].sort().join(' ') || '(none found)'}`,
            },
          );
        }
      }
      args.push(...extra);
    }
    if (!options.dep && extra.length === 0) {
      throw new CfgutilError(
        'needs dep: true or extraArgs',
        { command: 'prepare' },
        {
          hint: 'only ADE prepare (--dep) is confirmed; for manual prepare pass the flags `cfgutil help prepare` lists on your Mac as extraArgs',
        },
      );
    }
    return this.exec('prepare', args, { ecids: options.ecids, identity: this.pick(options), partial: 'report' });
  }

  /**
   * `cfgutil erase` on one device (Erase All Content and Settings). Needs a supervised
   * device and the supervision identity, or a device at Setup Assistant.
   */
  async erase(ecid: string, options: IdentityOption = {}): Promise<CfgutilResult> {
    return this.exec('erase', [], { ecids: [ecid], identity: this.pick(options), partial: 'throw' });
  }

  /** The flags `cfgutil help prepare` lists, read once per instance. */
  async prepareHelpFlags(): Promise<Set<string>> {
    this.prepareFlags ??= (async () => {
      const argv = ['help', 'prepare'];
      const r = await runProcess(this.binary, argv, { env: this.env, timeoutMs: 60_000, command: 'help' });
      if (r.exitCode !== 0) {
        throw new CfgutilError(`help prepare exited ${r.exitCode}`, { command: 'help', argv, exitCode: r.exitCode });
      }
      return new Set(`${r.stdout}\n${r.stderr}`.match(/--[a-z][a-z0-9-]*/g) ?? []);
    })();
    try {
      return await this.prepareFlags;
    } catch (e) {
      this.prepareFlags = undefined;
      throw e;
    }
  }

  // ---- internals -------------------------------------------------------------------------

  private pick(options: IdentityOption): SupervisionIdentity | null {
    return options.supervisionIdentity === undefined ? (this.identity ?? null) : options.supervisionIdentity;
  }

  private async exec(
    command: string,
    args: readonly string[],
    opts: { ecids: readonly string[]; identity: SupervisionIdentity | null; partial: 'throw' | 'report' },
  ): Promise<CfgutilResult> {
    for (const ecid of opts.ecids) {
      if (typeof ecid !== 'string' || !ECID.test(ecid)) {
        throw new CfgutilError(
          `"${String(ecid)}" is not an ECID`,
          { command },
          {
            hint: 'ECIDs are hex strings such as 0x1A2B3C4D5E6F70, as `cfgutil list` prints them',
          },
        );
      }
    }
    const argv = ['--format', 'JSON'];
    if (opts.identity) {
      await checkIdentity(opts.identity, command);
      argv.push('-C', opts.identity.certificatePath, '-K', opts.identity.privateKeyPath);
    }
    for (const ecid of opts.ecids) argv.push('--ecid', ecid);
    argv.push(command, ...args);

    const r = await runProcess(this.binary, argv, { env: this.env, timeoutMs: this.timeoutMs, command });
    const out = parseOutput(r.stdout, command, argv, r.exitCode);
    if (r.exitCode !== 0) {
      const message = out?.Message ?? (r.stderr.trim() || `exited with status ${r.exitCode}`);
      throw new CfgutilError(message, errorDetails(out, command, argv, r.exitCode));
    }
    if (!out) {
      throw new CfgutilError(
        'printed no JSON output',
        { command, argv, exitCode: r.exitCode },
        {
          hint: "cfgutil 2.x prints JSON with --format JSON; check the binary is Apple Configurator's cfgutil",
        },
      );
    }
    const result: CfgutilResult = {
      command,
      argv,
      devices: out.Devices ?? [],
      output: out.Output ?? {},
    };
    if (out.Type === 'Error') {
      const error = new CfgutilError(out.Message ?? 'reported an error', errorDetails(out, command, argv, r.exitCode));
      if (opts.partial === 'throw') throw error;
      result.error = error;
    }
    return result;
  }

  private async profileIdentifier(path: string): Promise<string> {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(path);
    } catch (e) {
      throw new CfgutilError(`cannot read the profile file "${path}"`, { command: 'install-profile' }, { cause: e });
    }
    try {
      const profile = readPlist(bytes);
      const id =
        typeof profile === 'object' && profile !== null && !Array.isArray(profile)
          ? (profile as Record<string, unknown>).PayloadIdentifier
          : undefined;
      if (typeof id === 'string' && id !== '') return id;
    } catch (e) {
      if (!(e instanceof ConfiguratorError)) throw e;
      throw new CfgutilError(
        `"${path}" is not a readable profile: ${e.message}`,
        { command: 'install-profile' },
        { cause: e },
      );
    }
    throw new CfgutilError(
      `"${path}" has no top-level PayloadIdentifier`,
      { command: 'install-profile' },
      {
        hint: 'the installation is verified by PayloadIdentifier, so the profile needs one',
      },
    );
  }
}

function parseOutput(stdout: string, command: string, argv: string[], exitCode: number): CfgutilOutput | undefined {
  const text = stdout.trim();
  if (text === '') return undefined;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    if (exitCode !== 0) return undefined;
    throw new CfgutilError('printed output that is not JSON', { command, argv, exitCode }, { cause: e });
  }
  const parsed = CfgutilOutputSchema.safeParse(json);
  if (!parsed.success) {
    if (exitCode !== 0) return undefined;
    throw new CfgutilError('printed JSON of an unexpected shape', { command, argv, exitCode }, { cause: parsed.error });
  }
  return parsed.data;
}

function errorDetails(out: CfgutilOutput | undefined, command: string, argv: string[], exitCode: number) {
  const details: ConstructorParameters<typeof CfgutilError>[1] = { command, argv, exitCode };
  if (out?.Code !== undefined) details.code = out.Code;
  if (out?.Domain !== undefined) details.domain = out.Domain;
  const detail = [out?.FailureReason, out?.Detail].filter(Boolean).join(' — ');
  if (detail) details.detail = detail;
  if (out?.AffectedDevices) details.affectedDevices = out.AffectedDevices;
  if (out?.UnaffectedDevices) details.unaffectedDevices = out.UnaffectedDevices;
  return details;
}

function detailsOf(e: CfgutilError): ConstructorParameters<typeof CfgutilError>[1] {
  const d: ConstructorParameters<typeof CfgutilError>[1] = { command: e.command };
  if (e.argv) d.argv = e.argv;
  if (e.exitCode !== undefined) d.exitCode = e.exitCode;
  if (e.code !== undefined) d.code = e.code;
  if (e.domain !== undefined) d.domain = e.domain;
  if (e.detail !== undefined) d.detail = e.detail;
  if (e.affectedDevices) d.affectedDevices = e.affectedDevices;
  if (e.unaffectedDevices) d.unaffectedDevices = e.unaffectedDevices;
  return d;
}

/** True when `installedProfiles` (a list of identifiers or of dictionaries) names `identifier`. */
function listsProfile(installed: unknown, identifier: string): boolean {
  if (!Array.isArray(installed)) return false;
  return installed.some(
    (p) =>
      p === identifier ||
      (typeof p === 'object' && p !== null && Object.values(p as Record<string, unknown>).includes(identifier)),
  );
}

/**
 * The identity files must exist, and the key must not be readable by group or others
 * (aeios refuses anything but 0600 for the same reason). Only paths are reported.
 */
async function checkIdentity(identity: SupervisionIdentity, command: string): Promise<void> {
  for (const [what, path] of [
    ['certificate', identity.certificatePath],
    ['private key', identity.privateKeyPath],
  ] as const) {
    let mode: number;
    try {
      mode = (await stat(path)).mode;
    } catch {
      throw new CfgutilError(
        `the supervision ${what} file "${path}" does not exist`,
        { command },
        {
          hint: 'export the supervision identity from Apple Configurator and convert it to DER files',
        },
      );
    }
    if (what === 'private key' && (mode & 0o077) !== 0) {
      throw new CfgutilError(
        `the supervision private key "${path}" is readable by group or others`,
        { command },
        {
          hint: `restrict it: chmod 600 "${path}"`,
        },
      );
    }
  }
}
