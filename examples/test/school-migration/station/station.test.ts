/**
 * The station against the scripted fake cfgutil (a real executable driven through the real
 * `Cfgutil` wrapper): iPads arriving and leaving over time, slow prepares, a cloud
 * configuration, another organisation's management, an unplug mid-prepare, a failing prepare,
 * an iPad not in the school's list — and the journal afterwards: every step once, none lost.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkChains,
  ecidOf,
  makeStationProject,
  type StationProject,
  serials,
  statesOf,
  WIFI_KEY,
} from './support.js';

const WIFI = ['--wifi-ssid', 'ESM-Setup', '--wifi-password-env', 'STATION_WIFI_KEY'];
const FAST = ['--poll-ms', '20', '--exit-when-idle', '1.5'];

let project: StationProject | undefined;
afterEach(async () => {
  await project?.close();
  project = undefined;
});

describe('station', () => {
  it('prepares iPads as they arrive, several at once, with every case of a real cart', async () => {
    const s = serials(10);
    const [a, b, c, cloud, unplug, failing, managed, late, notReleased] = s as [string, ...string[]];
    const stranger = serials(1, 99)[0]!;
    project = await makeStationProject(s.slice(0, 9), { [notReleased!]: 'listed' });
    const { sim } = project;
    const add = (
      i: number,
      serial: string,
      extra: Parameters<typeof sim.add>[0] extends infer T ? Partial<T> : never = {},
    ) => sim.add({ ecid: ecidOf(i), serial, prepareMs: 250, ...extra });
    add(0, a!);
    add(1, b!);
    add(2, c!);
    add(3, cloud!, { cloudConfiguration: 'foreign' });
    add(4, unplug!, { unplugDuringPrepareAfterMs: 30, replugAfterLists: 2 });
    add(5, failing!, { prepareFailure: 'The device could not be activated (error 0xE8000015).' });
    add(6, managed!, { supervised: true, profiles: ['com.spw.jamf.mdm'] });
    add(7, late!);
    add(8, notReleased!);
    add(9, stranger);
    for (const i of [0, 1, 2, 3, 9]) sim.plug(ecidOf(i));
    sim.at(150, () => {
      for (const i of [4, 5, 8]) sim.plug(ecidOf(i));
    });
    sim.at(400, () => sim.plug(ecidOf(6)));
    sim.at(700, () => sim.plug(ecidOf(7)));
    // A prepared iPad taken off the hub (right after its check) while others still work.
    sim.onCall = (call) => {
      const first = sim.ipads.get(ecidOf(0))!;
      if (
        call.command === 'get' &&
        call.args.join() === 'isSupervised' &&
        call.ecids[0] === first.ecid &&
        first.prepares === 1
      )
        sim.unplug(first.ecid);
    };

    const r = await project.station(...WIFI, '--parallel', '3', '--allow-erase', ...FAST);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    const lines = project.lines();
    expect(checkChains(lines)).toEqual([]);
    const states = statesOf(lines);
    const last = (serial: string) => states.get(serial)?.at(-1);
    for (const serial of [a, b, c, cloud, unplug, managed, late]) {
      expect(last(serial!)).toMatchObject({ to: 'prepared', by: 'station' });
      expect(states.get(serial!)!.filter((l) => l.to === 'prepared')).toHaveLength(1);
    }
    expect(last(failing!)).toMatchObject({ to: 'failed', by: 'station' });
    expect(last(failing!)!.reason).toContain('0xE8000015');
    // Not released yet, and not in the list: never touched.
    expect(states.get(notReleased!)).toBeUndefined();
    expect(states.get(stranger)).toBeUndefined();
    const touched = (ecid: string) =>
      sim.calls.filter((x) => x.ecids.includes(ecid) && !['list', 'get'].includes(x.command)).length;
    expect(touched(ecidOf(8))).toBe(0);
    expect(touched(ecidOf(9))).toBe(0);

    // The iPad side: one successful prepare each, erases only where needed.
    for (const i of [0, 1, 2, 3, 4, 6, 7]) expect(sim.ipads.get(ecidOf(i))!.prepares).toBe(1);
    expect(sim.ipads.get(ecidOf(3))!.erases).toBe(1);
    expect(sim.ipads.get(ecidOf(6))!.erases).toBe(1);
    for (const i of [0, 1, 2, 4, 5, 7]) expect(sim.ipads.get(ecidOf(i))!.erases).toBe(0);
    // Up to 3 at once, and really several at once.
    expect(sim.maxBusy).toBeLessThanOrEqual(3);
    expect(sim.maxBusy).toBeGreaterThanOrEqual(2);
    // Every prepare carried the configured flags.
    const prepares = sim.calls.filter((x) => x.command === 'prepare');
    for (const p of prepares) expect(p.args).toEqual(['--dep', '--skip-language', '--skip-region']);
    // The unplugged iPad's prepare was journaled as an intent first, then settled once.
    expect(lines.some((l) => l.t === 'intent' && l.serials.includes(unplug!) && l.step === 'prepare')).toBe(true);
    expect(prepares.filter((p) => p.ecids.includes(ecidOf(4))).length).toBe(2);

    // Plain lines (not a terminal): status words, no colour codes, no Wi-Fi key.
    expect(r.stdout).not.toContain('\x1b[');
    expect(r.stdout).not.toContain(WIFI_KEY);
    expect(r.stdout).toMatch(new RegExp(`UNKNOWN\\s+${stranger}.*not in the school's list`));
    expect(r.stdout).toMatch(new RegExp(`UNPLUGGED\\s+${unplug}.*unplugged during prepare`));
    expect(r.stdout).toMatch(new RegExp(`WAITING\\s+${unplug}.*back: resuming`));
    expect(r.stdout).toMatch(new RegExp(`DONE\\s+${unplug}`));
    expect(r.stdout).toMatch(new RegExp(`FAILED\\s+${failing}.*0xE8000015`));
    expect(r.stdout).toMatch(new RegExp(`NOT TOUCHED\\s+${notReleased}.*release-requested`));
    expect(r.stdout).toMatch(new RegExp(`WORKING\\s+${cloud}\\s+\\S+\\s+erase`));
    expect(r.stdout).toContain('station: 7 iPad(s) prepared');
    expect(r.stdout).toContain(`not in the school's list (not touched): ${stranger}`);
    expect(r.stdout).toMatch(/states: .*prepared 7.*failed 1/);
    expect(r.stdout).toMatch(/wrote .*devices\.csv/);
    // The Wi-Fi key is in no file the station leaves behind (journal, reports), and its
    // profile was removed with the session's temporary folder.
    for (const file of [
      project.journalPath,
      ...['devices.csv', 'devices-failed.csv', 'report.html'].map((f) => join(project!.dir, 'out', f)),
    ])
      expect(readFileSync(file, 'utf8')).not.toContain(WIFI_KEY);
    expect(readFileSync(join(project.dir, 'out', 'devices.csv'), 'utf8')).toContain(failing!);
  });

  it('reports iPads that need erasing without --allow-erase, and erases them on the next run with it', async () => {
    const s = serials(3, 5);
    project = await makeStationProject(s);
    const { sim } = project;
    sim.add({ ecid: ecidOf(0), serial: s[0]!, cloudConfiguration: 'foreign' });
    sim.add({ ecid: ecidOf(1), serial: s[1]!, supervised: true, profiles: ['com.spw.jamf.mdm'] });
    sim.add({ ecid: ecidOf(2), serial: s[2]! });
    for (const i of [0, 1, 2]) sim.plug(ecidOf(i));

    const first = await project.station(...WIFI, ...FAST);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(new RegExp(`NEEDS ERASE\\s+${s[0]}.*cloud configuration`));
    expect(first.stdout).toMatch(new RegExp(`NEEDS ERASE\\s+${s[1]}.*another organisation.*com\\.spw\\.jamf\\.mdm`));
    expect(first.stdout).toContain('station: 1 iPad(s) prepared');
    expect(sim.calls.filter((c) => c.command === 'erase')).toHaveLength(0);
    let states = statesOf(project.lines());
    expect(states.get(s[0]!)!.at(-1)).toMatchObject({ to: 'failed', by: 'station' });
    expect(states.get(s[0]!)!.at(-1)!.reason).toMatch(/^needs erase: .*--allow-erase/);

    // Still on the hub; a second station run with erase allowed picks them up.
    const second = await project.station(...WIFI, ...FAST, '--allow-erase');
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('station: 2 iPad(s) prepared');
    expect(second.stdout).toMatch(new RegExp(`NOT TOUCHED\\s+${s[2]}.*already prepared`));
    const lines = project.lines();
    expect(checkChains(lines)).toEqual([]);
    states = statesOf(lines);
    for (const serial of s) expect(states.get(serial)!.at(-1)).toMatchObject({ to: 'prepared', by: 'station' });
    for (const i of [0, 1, 2]) expect(sim.ipads.get(ecidOf(i))!.prepares).toBe(1);
    expect(sim.ipads.get(ecidOf(0))!.erases).toBe(1);
    expect(sim.ipads.get(ecidOf(1))!.erases).toBe(1);
  });

  it('settles a prepare sent before a crash by reading the iPad, without preparing it again', async () => {
    const s = serials(1, 7);
    project = await makeStationProject(s);
    // The journal of a station killed after sending prepare; the iPad finished it.
    const { Journal } = await import('../../../school-migration/src/journal/journal.js');
    const { journal } = Journal.open(project.journalPath);
    journal.append([
      {
        t: 'intent',
        at: new Date().toISOString(),
        id: 'prepare-1',
        step: 'prepare',
        serials: [s[0]!],
        target: { ecid: ecidOf(0) },
      },
    ]);
    journal.close();
    project.sim.add({ ecid: ecidOf(0), serial: s[0]!, supervised: true, cloudConfiguration: 'ours' });
    project.sim.plug(ecidOf(0));
    const r = await project.station(...WIFI, ...FAST);
    expect(r.code).toBe(0);
    expect(project.sim.calls.filter((c) => c.command === 'prepare')).toHaveLength(0);
    expect(statesOf(project.lines()).get(s[0]!)).toEqual([
      expect.objectContaining({ from: 'listed', to: 'release-requested' }),
      expect.objectContaining({ from: 'release-requested', to: 'prepared', by: 'station' }),
    ]);
    expect(project.fleet().devices.get(s[0]!)!.pending).toBeUndefined();
  });

  it("passes Mosyle's enrollment URL and extra skips with the flags this cfgutil lists, and refuses one it does not", async () => {
    const s = serials(1, 11);
    project = await makeStationProject(s);
    project.sim.add({ ecid: ecidOf(0), serial: s[0]!, prepareMs: 10 });
    project.sim.plug(ecidOf(0));
    const url = 'https://school.mosyle.com/enroll/ESM-0001';
    const ok = await project.station(...WIFI, ...FAST, '--enrollment-url', url, '--skip', 'language,region,siri');
    expect(ok.code).toBe(0);
    expect(project.sim.calls.find((c) => c.command === 'prepare')!.args).toEqual([
      '--dep',
      '--skip-language',
      '--skip-region',
      '--skip-siri',
      '--enrollment-url',
      url,
    ]);
    const bad = await project.station(...WIFI, ...FAST, '--skip', 'language,keyboard');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('does not list --skip-keyboard');
    const http = await project.station(...WIFI, ...FAST, '--enrollment-url', 'http://school.mosyle.com/x');
    expect(http.code).toBe(1);
    expect(http.stderr).toContain('must be https');
    const noKey = await project.station('--wifi-ssid', 'ESM-Setup', '--wifi-password-env', 'NOT_SET', ...FAST);
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toContain('NOT_SET (the Wi-Fi key) is not set');
  });
});
