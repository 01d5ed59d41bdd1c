/**
 * The scripted station answered in-process, in the shape of `Cfgutil`'s results, for the
 * benchmark (as the migration benchmark does with the world's cfgutil): a process start per
 * command would otherwise dominate, and the virtual clock needs every wait in-process. The
 * JSON is the same the fake executable prints; exit status and `"Type": "Error"` are read as
 * `Cfgutil` reads them, and a reported install-profile failure is checked with
 * `installedProfiles` as `Cfgutil` does.
 */
import { readFileSync } from 'node:fs';
import { CfgutilError, type CfgutilResult, readPlist } from '@schoolmdm/configurator';
import type { StationCfgutil } from '../types.js';
import type { StationSim } from './sim.js';

interface Out {
  Type?: string;
  Devices?: string[];
  Output?: Record<string, unknown>;
  Message?: string;
  AffectedDevices?: string[];
}

/** A `StationCfgutil` on the simulator, without processes. */
export function inProcessCfgutil(sim: StationSim): StationCfgutil {
  const exec = async (command: string, args: string[], ecids: readonly string[]): Promise<CfgutilResult> => {
    const argv = ['--format', 'JSON', ...ecids.flatMap((e) => ['--ecid', e]), command, ...args];
    const r = await sim.run(argv);
    const out = JSON.parse(r.stdout) as Out;
    const details = {
      command,
      argv,
      exitCode: r.exitCode,
      ...(out.AffectedDevices ? { affectedDevices: out.AffectedDevices } : {}),
    };
    if (r.exitCode !== 0) throw new CfgutilError(out.Message ?? `exited ${r.exitCode}`, details);
    const result: CfgutilResult = { command, argv, devices: out.Devices ?? [], output: out.Output ?? {} };
    if (out.Type === 'Error') result.error = new CfgutilError(out.Message ?? 'reported an error', details);
    return result;
  };
  const get = async (properties: readonly string[], ecids: readonly string[] = []) =>
    (await exec('get', [...properties], ecids)) as CfgutilResult<Record<string, unknown>>;
  return {
    async list() {
      const r = await exec('list', [], []);
      return Object.entries(r.output).map(([ecid, raw]) => ({ ecid, raw: raw as Record<string, unknown> }));
    },
    get,
    erase: (ecid) => exec('erase', [], [ecid]),
    prepare: (o) =>
      exec(
        'prepare',
        [
          ...(o.dep ? ['--dep'] : []),
          ...(o.skipLanguage ? ['--skip-language'] : []),
          ...(o.skipRegion ? ['--skip-region'] : []),
          ...(o.extraArgs ?? []),
        ],
        o.ecids,
      ),
    async installProfile(ecid, file) {
      const profileIdentifier = (readPlist(readFileSync(file)) as { PayloadIdentifier: string }).PayloadIdentifier;
      try {
        await exec('install-profile', [file], [ecid]);
        return { ecid, profileIdentifier, confirmedBy: 'exit-status' as const };
      } catch (e) {
        if (!(e instanceof CfgutilError)) throw e;
        const got = await get(['installedProfiles'], [ecid]);
        const installed = got.output[ecid]?.installedProfiles;
        if (Array.isArray(installed) && installed.includes(profileIdentifier)) {
          return { ecid, profileIdentifier, confirmedBy: 'installed-profiles' as const, reportedFailure: e };
        }
        throw e;
      }
    },
  };
}
