/**
 * The station board in a real terminal: the CLI runs under tmux (120×40) against the scripted
 * fake cfgutil, and the screen is read back with `capture-pane`. Checked: one line per iPad
 * redrawn in place (never a second copy), status words readable without colour, colour that
 * repeats the word, the end report, and no Wi-Fi key on screen.
 */
import { execFileSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { ecidOf, makeStationProject, type StationProject, serials, WIFI_KEY } from './support.js';

const BIN = fileURLToPath(new URL('../../../school-migration/bin/school-migration.ts', import.meta.url));
const SOCKET = `station-board-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });

let project: StationProject | undefined;
afterEach(async () => {
  try {
    tmux('kill-server');
  } catch {
    // already gone
  }
  await project?.close();
  project = undefined;
});

const q = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

it('draws one line per iPad with its step, elapsed time and result, in words and in colour', async () => {
  const s = serials(4, 13);
  const stranger = serials(1, 77)[0]!;
  project = await makeStationProject(s);
  const { sim } = project;
  for (const [i, serial] of s.entries())
    sim.add({
      ecid: ecidOf(i),
      serial,
      prepareMs: 700,
      ...(i === 3 ? { cloudConfiguration: 'foreign' as const } : {}),
    });
  sim.add({ ecid: ecidOf(9), serial: stranger });
  for (const i of [0, 1, 2, 3, 9]) sim.plug(ecidOf(i));

  // CI sets NO_COLOR (its log is no terminal); the board honours it, so clear it for this terminal.
  const command = [
    'env',
    '-u',
    'NO_COLOR',
    '-u',
    'FORCE_COLOR',
    `FAKE_CFGUTIL_URL=${project.fake.url}`,
    `STATION_WIFI_KEY=${WIFI_KEY}`,
    'TERM=xterm-256color',
    q(process.execPath),
    '--import',
    'tsx',
    q(BIN),
    '--config',
    q(project.configFile),
    'station',
    '--wifi-ssid',
    'ESM-Setup',
    '--wifi-password-env',
    'STATION_WIFI_KEY',
    '--parallel',
    '2',
    '--poll-ms',
    '50',
    '--exit-when-idle',
    '1.5',
    '; echo EXIT=$?; sleep 120',
  ].join(' ');
  tmux('new-session', '-d', '-x', '120', '-y', '40', '-s', 'board', '-c', process.cwd(), command);

  let working = '';
  let screen = '';
  for (let i = 0; i < 200; i++) {
    await sleep(250);
    screen = tmux('capture-pane', '-p', '-t', 'board');
    if (!working && /^WORKING\s+DMP\S+\s+ESM-\S+\s+(prepare|wifi|inspect)\s+\d+:\d\d/m.test(screen)) working = screen;
    if (screen.includes('EXIT=')) break;
  }
  const coloured = tmux('capture-pane', '-p', '-e', '-t', 'board');
  expect(screen).toContain('EXIT=0');

  // While it ran: a line with the step and the elapsed time.
  expect(working).not.toBe('');
  const lines = screen.split('\n');
  expect(
    lines.some((l) => /^Configurator station \(up to 2 at once\): 3 done, 1 needs erase, 1 unknown$/.test(l)),
  ).toBe(true);
  // The board was redrawn in place: each iPad has exactly one board line.
  for (const serial of s.slice(0, 3)) {
    const mine = lines.filter((l) => l.includes(serial));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatch(
      new RegExp(`^DONE\\s+${serial}\\s+ESM-\\S+\\s+verify\\s+\\d+:\\d\\d\\s+prepared: unplug it$`),
    );
  }
  expect(lines.filter((l) => /^NEEDS ERASE\s/.test(l) && l.includes(s[3]!))).toHaveLength(1);
  expect(screen).toMatch(new RegExp(`^UNKNOWN\\s+${stranger}\\s+not in the school's list: not touched$`, 'm'));
  expect(screen).toContain('station: 3 iPad(s) prepared');
  expect(screen).toMatch(/^states: .*prepared 3, failed 1$/m);
  expect(screen).not.toContain(WIFI_KEY);
  // Colour repeats the word: green DONE, yellow NEEDS ERASE, magenta UNKNOWN.
  expect(coloured).toMatch(/\x1b\[32mDONE/);
  expect(coloured).toMatch(/\x1b\[33mNEEDS ERASE/);
  expect(coloured).toMatch(/\x1b\[35mUNKNOWN/);
});
