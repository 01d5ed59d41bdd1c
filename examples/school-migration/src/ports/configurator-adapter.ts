/**
 * `ConfiguratorPort` on `Cfgutil` (`@schoolmdm/configurator`): the attached iPads with their
 * serials (`cfgutil get serialNumber`), and `cfgutil prepare --dep` (ADE prepare: the iPad
 * fetches its cloud configuration and joins the school's Apple School Manager).
 */
import type { Cfgutil } from '@schoolmdm/configurator';
import { normalizeSerial } from '@schoolmdm/core';
import { describeError } from '../steps/retry.js';
import type { ConfiguratorPort } from './types.js';

/** The Configurator port on a cfgutil wrapper. */
export function configuratorPort(cfgutil: Cfgutil): ConfiguratorPort {
  return {
    async attached() {
      const devices = await cfgutil.list();
      if (devices.length === 0) return [];
      const got = await cfgutil.get(
        ['serialNumber'],
        devices.map((d) => d.ecid),
      );
      const out: { ecid: string; serial: string }[] = [];
      for (const d of devices) {
        const s = got.output[d.ecid]?.serialNumber;
        if (typeof s === 'string' && s !== '') out.push({ ecid: d.ecid, serial: normalizeSerial(s) });
      }
      return out;
    },
    async prepare(ecids) {
      const failures = new Map<string, string>();
      try {
        const r = await cfgutil.prepare({ ecids, dep: true, skipLanguage: true, skipRegion: true });
        if (r.error) {
          const affected = r.error.affectedDevices ?? [];
          for (const e of affected.length > 0 ? affected : ecids) failures.set(e, r.error.message);
        }
      } catch (e) {
        for (const ecid of ecids) failures.set(ecid, describeError(e));
      }
      return failures;
    },
  };
}
