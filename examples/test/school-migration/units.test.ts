/**
 * The pieces under the runner: the journal (fsynced appends, torn last line, bad lines), the
 * fleet fold, device names, the config (YAML and JSON, credentials from env or files only),
 * CSV cells, and progress as plain lines off a terminal.
 */
import { appendFileSync, chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { configYaml } from '../../school-migration/src/cli/init.js';
import { fromData, loadConfig, readCredential } from '../../school-migration/src/config/load.js';
import { configTemplate } from '../../school-migration/src/config/template.js';
import { CredentialError, JournalError } from '../../school-migration/src/errors.js';
import { Journal } from '../../school-migration/src/journal/journal.js';
import { Fleet } from '../../school-migration/src/model/fleet.js';
import { deviceNames } from '../../school-migration/src/plan/naming.js';
import { createProgress } from '../../school-migration/src/progress/progress.js';
import { csvCell } from '../../school-migration/src/report/csv.js';
import { escapeHtml, formatDuration } from '../../school-migration/src/report/html.js';
import { Capture } from './support.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'sm-unit-'));

describe('journal', () => {
  it('appends, replays, cuts a torn last line and appends after it on a fresh line', () => {
    const path = join(tmp(), 'state/journal.jsonl');
    const { journal } = Journal.open(path);
    journal.append([
      { t: 'device', at: 'a', serial: 'DMPAAAAAAAA1', group: 'P1', name: 'ESM-P1-01' },
      { t: 'state', at: 'b', serial: 'DMPAAAAAAAA1', from: 'listed', to: 'release-requested', by: 'program' },
    ]);
    journal.close();
    appendFileSync(path, '{"t":"state","at":"c","serial":"DMPAAAAAAAA1","fr');
    const again = Journal.open(path);
    expect(again.lines).toHaveLength(2);
    again.journal.append([{ t: 'run', at: 'd', event: 'start', run: 'r1' }]);
    again.journal.close();
    expect(
      readFileSync(path, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).t),
    ).toEqual(['device', 'state', 'run']);
    const f = Fleet.replay(Journal.read(path));
    expect(f.devices.get('DMPAAAAAAAA1')).toMatchObject({
      state: 'release-requested',
      at: 'release-requested',
      by: 'program',
    });
    expect(f.runs).toBe(1);
  });

  it('names the line of a record it cannot read', () => {
    const path = join(tmp(), 'j.jsonl');
    writeFileSync(path, '{"t":"run","at":"a","event":"start","run":"x"}\nnot json\n');
    expect(() => Journal.read(path)).toThrow(JournalError);
    expect(() => Journal.read(path)).toThrow(/j\.jsonl line 2: is not JSON/);
  });

  it('folds intents: a pending intent lasts until the device moves, and keeps its answer', () => {
    const f = Fleet.replay([
      { t: 'device', at: 'a', serial: 'S1', group: 'G', name: 'N' },
      { t: 'intent', at: 'b', id: 'assign-1', step: 'assign', serials: ['S1'], target: { serverId: 'X' } },
      { t: 'sent', at: 'c', id: 'assign-1', ref: 'activity-9' },
    ]);
    expect(f.devices.get('S1')!.pending).toEqual({ id: 'assign-1', step: 'assign', ref: 'activity-9' });
    f.apply({ t: 'state', at: 'd', serial: 'S1', from: 'listed', to: 'failed', by: 'api', reason: 'why' });
    expect(f.devices.get('S1')).toMatchObject({ state: 'failed', at: 'listed', reason: 'why', pending: undefined });
  });
});

describe('device names', () => {
  it('numbers iPads within their group, in plan order, with a stable width', () => {
    const names = deviceNames(
      [
        { serial: 'DMP000000001', group: 'Chariot A' },
        { serial: 'DMP000000002', group: '2ème B' },
        { serial: 'DMP000000003', group: 'Chariot A' },
      ],
      { school: 'ESM', template: '{school}-{group}-{nn}-{last4}' },
    );
    expect(names).toEqual(['ESM-ChariotA-01-0001', 'ESM-2emeB-01-0002', 'ESM-ChariotA-02-0003']);
  });
});

describe('config', () => {
  it('accepts the template init writes, as YAML and as JSON', () => {
    const dir = tmp();
    writeFileSync(join(dir, 'a.yaml'), configYaml('École Test', 'ET'));
    expect(loadConfig(join(dir, 'a.yaml')).data.school).toEqual({ name: 'École Test', short: 'ET' });
    writeFileSync(join(dir, 'b.json'), JSON.stringify(configTemplate()));
    const c = loadConfig(join(dir, 'b.json'));
    expect(c.data.configurator).toEqual({ mode: 'cfgutil', cfgutil: 'cfgutil' });
    expect(c.path('data/plan.csv')).toBe(join(dir, 'data/plan.csv'));
  });

  it('reads credentials from the environment or an owner-only file, as values that never print', () => {
    const dir = tmp();
    const c = fromData(join(dir, 'c.json'), configTemplate());
    const s = readCredential(
      c,
      'mosyle.accessToken',
      { env: 'MOSYLE_ACCESS_TOKEN' },
      { MOSYLE_ACCESS_TOKEN: 'tok-123456' },
    );
    expect(s.reveal()).toBe('tok-123456');
    expect(`${s} ${JSON.stringify({ s })} ${inspect(s, { showHidden: true, depth: 10 })}`).not.toMatch(/tok-123456/);
    expect(() => readCredential(c, 'mosyle.accessToken', { env: 'NOPE' }, {})).toThrow(/NOPE is not set/);
    writeFileSync(join(dir, 'pw'), 'secret-pw\n');
    chmodSync(join(dir, 'pw'), 0o644);
    expect(() => readCredential(c, 'mosyle.password', { file: 'pw' })).toThrow(CredentialError);
    expect(() => readCredential(c, 'mosyle.password', { file: 'pw' })).toThrow(/readable by other users.*chmod 600/);
    chmodSync(join(dir, 'pw'), 0o600);
    expect(readCredential(c, 'mosyle.password', { file: 'pw' }).reveal()).toBe('secret-pw');
  });
});

describe('report helpers', () => {
  it('defuses formulas in CSV cells and escapes HTML', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('ESM-P1-01')).toBe('ESM-P1-01');
    expect(escapeHtml('<img src=x onerror="a">')).toBe('&lt;img src=x onerror=&quot;a&quot;&gt;');
    expect(formatDuration(39 * 60_000 + 23_000)).toBe('39 min 23 s');
    expect(formatDuration(26 * 3_600_000)).toBe('26 h 00 min');
  });

  it('prints progress as plain lines off a terminal', () => {
    const out = new Capture();
    const p = createProgress(out as unknown as NodeJS.WriteStream, false);
    p.onStep('assign', 'api', 8);
    for (let i = 1; i <= 8; i++) p.onProgress('assign', i, 8);
    p.stop();
    expect(out.text).toBe('[assign] 8 iPad(s), by api\n[assign] 2/8\n[assign] 4/8\n[assign] 6/8\n[assign] 8/8\n');
  });
});
