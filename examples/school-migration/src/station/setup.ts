/**
 * What the station sets up once, before the first iPad: the bootstrap Wi-Fi profile (built with
 * `@schoolmdm/configurator`, written owner-only because it holds the network's key), and the
 * `prepare` flags, checked against what this Mac's `cfgutil help prepare` lists — only
 * `--dep --skip-language --skip-region` are confirmed by public sources (configurator.md §5.3),
 * so every other flag, the enrollment-URL flag included, must be offered by the local cfgutil.
 */
import { chmodSync, writeFileSync } from 'node:fs';
import { createProfile, type PrepareOptions, type WifiSecurity, wifi } from '@schoolmdm/configurator';
import { MigrationError } from '../errors.js';

/** A station set-up problem: what is wrong and what to do instead. Never carries the Wi-Fi key. */
export class StationSetupError extends MigrationError {}

/** The bootstrap Wi-Fi network the iPads join to reach Mosyle after prepare. */
export interface BootstrapWifi {
  ssid: string;
  security: WifiSecurity;
  /** The pre-shared key, read from an environment variable or a file; never printed. */
  password?: string;
}

/**
 * Builds and writes the bootstrap Wi-Fi profile (mode 0600).
 * @returns its `PayloadIdentifier` (the install is verified by it).
 */
export function writeBootstrapWifi(
  file: string,
  school: { name: string; short: string },
  network: BootstrapWifi,
): { identifier: string } {
  const identifier = `org.schoolmdm.${school.short.toLowerCase()}.bootstrap-wifi`;
  let bytes: Uint8Array;
  try {
    bytes = createProfile({
      identifier,
      displayName: `${school.name} Wi-Fi (setup)`,
      organization: school.name,
      payloads: [
        wifi({
          ssid: network.ssid,
          security: network.security,
          ...(network.password !== undefined ? { password: network.password } : {}),
        }),
      ],
    }).toBytes();
  } catch (e) {
    throw new StationSetupError(`the bootstrap Wi-Fi profile cannot be built: ${(e as Error).message}`, {
      hint: 'check --wifi-ssid, --wifi-security and the Wi-Fi key (8 to 63 characters for WPA)',
    });
  }
  writeFileSync(file, bytes, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { identifier };
}

/** What the school configured for prepare. */
export interface PrepareChoice {
  /** `--dep`: the iPad fetches its cloud configuration from Apple School Manager. @defaultValue true */
  dep?: boolean;
  /** Mosyle's enrollment URL (My School > Apple Basic Setup > Enrollment > Apple Configurator 2). */
  enrollmentUrl?: string;
  /** The flag that carries it; found in `help prepare` when not given. */
  enrollmentUrlFlag?: string;
  /** Setup Assistant panes to skip, e.g. `['language', 'region', 'siri']` (`--skip-<pane>`). */
  skip?: readonly string[];
}

/**
 * The `prepare` options for every iPad, checked against the flags this cfgutil offers.
 * @throws {StationSetupError} when a flag is not offered, or nothing would enrol the iPad.
 */
export function prepareOptions(choice: PrepareChoice, offered: ReadonlySet<string>): Omit<PrepareOptions, 'ecids'> {
  const dep = choice.dep ?? true;
  const options: Omit<PrepareOptions, 'ecids'> = { dep };
  const extra: string[] = [];
  const list = () => [...offered].sort().join(' ') || '(none)';
  for (const raw of choice.skip ?? []) {
    const pane = raw.trim().toLowerCase();
    if (pane === '') continue;
    if (pane === 'language') options.skipLanguage = true;
    else if (pane === 'region') options.skipRegion = true;
    else {
      const flag = `--skip-${pane}`;
      if (!offered.has(flag)) {
        throw new StationSetupError(`this cfgutil's "help prepare" does not list ${flag} (skip "${raw}")`, {
          hint: `skips it offers: ${[...offered].filter((f) => f.startsWith('--skip-')).join(' ') || '(none)'}`,
        });
      }
      extra.push(flag);
    }
  }
  if (choice.enrollmentUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(choice.enrollmentUrl);
    } catch {
      throw new StationSetupError(`"${choice.enrollmentUrl}" is not a URL`, {
        hint: "copy Mosyle's ENROLLMENT URL (My School > Apple Basic Setup > Enrollment > Apple Configurator 2)",
      });
    }
    if (url.protocol !== 'https:') {
      throw new StationSetupError(`the enrollment URL must be https (got ${url.protocol})`, {
        hint: "Mosyle's enrollment URLs start with https://",
      });
    }
    const flag =
      choice.enrollmentUrlFlag ?? [...offered].find((f) => /url/.test(f) && /(enrol|mdm)/.test(f)) ?? undefined;
    if (!flag || !offered.has(flag)) {
      throw new StationSetupError(
        `this cfgutil's "help prepare" lists no flag for an enrollment URL${flag ? ` (${flag} is not listed)` : ''}`,
        {
          hint: `flags it lists: ${list()}; leave out --enrollment-url to prepare with --dep (the iPad takes Mosyle's enrollment from Apple School Manager)`,
        },
      );
    }
    extra.push(flag, url.toString());
  }
  if (!dep && choice.enrollmentUrl === undefined) {
    throw new StationSetupError('prepare needs --dep or an enrollment URL', {
      hint: 'keep --dep (the default) or pass --enrollment-url',
    });
  }
  if (extra.length > 0) options.extraArgs = extra;
  return options;
}
