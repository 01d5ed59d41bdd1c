/**
 * Steps without an API (issue #13): free-tier Mosyle (no API) and no ASM API credentials. The
 * program hands the ASM and Mosyle steps to a person with worksheets, then verifies the work
 * from the consoles' device exports — with typos, missing and extra devices, another column
 * order, delimiter and language — until every iPad is done, without one API write.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../school-migration/src/journal/journal.js';
import type { CheckRecordLine } from '../../school-migration/src/journal/records.js';
import {
  asmDeviceExport,
  assignInAsmConsole,
  groupInMosyleConsole,
  mosyleDeviceExport,
  renameInMosyleConsole,
} from '../../school-migration/src/manual/testing/console.js';
import { Fleet } from '../../school-migration/src/model/fleet.js';
import { makeProject, type Project } from './support.js';

let p: Project;
const journal = () => Journal.read(join(p.dir, 'state/journal.jsonl'));
const fleet = () => Fleet.replay(journal());
const checks = () => journal().filter((l): l is CheckRecordLine => l.t === 'check');
/** RFC 4180 rows (quoted cells with commas and doubled quotes). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',' || ch === '\n') {
      row.push(cell);
      cell = '';
      if (ch === '\n') {
        rows.push(row);
        row = [];
      }
    } else if (ch !== '\r') cell += ch;
  }
  return rows;
}
const csvRows = (file: string) => parseCsv(readFileSync(join(p.dir, 'out', file), 'utf8')).slice(1);
const apiWrites = () => ({
  mosyle: p.world.mosyle.state.requests.filter((r) => r.path === '/devices' || r.path === '/shareddevicegroups').length,
  asm: p.world.asm.state.activities.size,
});

beforeAll(async () => {
  p = await makeProject({ devices: 40, seed: 7 });
  p.world.mosyle.state.plan = 'free';
  rmSync(join(p.dir, 'secrets/asm-client-id'));
}, 60_000);
afterAll(() => p?.close());

describe('steps without an API', () => {
  let run1: { code: number; stdout: string; stderr: string };
  it('run: Mosyle says api-not-enabled and ASM has no credentials, so those steps go to a person with a worksheet', async () => {
    const check = await p.cli('check');
    expect(check.stdout).toMatch(
      /\[hand\] Apple School Manager API account: no ASM API credentials \(asm\.clientId: secrets\/asm-client-id does not exist\)\n\s+next: assignments go to a person: out\/worksheet-asm\.html/,
    );
    expect(check.stdout).toMatch(/\[warn\] Mosyle account and API access: api-not-enabled: /);
    expect(check.stdout).toMatch(/next: renaming and grouping go to a person: out\/worksheet-mosyle\.html/);
    const plan = await p.cli('plan');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.stdout).toMatch(/assign\s+\d+ iPads\s+by person/);
    expect(plan.stdout).toMatch(/rename\s+\d+ iPads\s+by person/);
    expect(plan.stdout).toMatch(/no ASM API credentials \(asm\.clientId: secrets\/asm-client-id does not exist\)/);
    run1 = await p.cli('run');
    expect(run1.code, run1.stderr).toBe(0);
    expect(run1.stdout).toMatch(/Apple School Manager: handed to a person \(no ASM API credentials/);
    const f = fleet();
    const prepared = f.list().filter((d) => d.state === 'prepared');
    expect(prepared.length).toBeGreaterThan(20);
    // The worksheet: every prepared iPad, in the console's order (by serial), with its target server.
    const rows = csvRows('worksheet-asm.csv');
    expect(rows.map((r) => r[0])).toEqual(prepared.map((d) => d.serial).sort());
    expect(new Set(rows.map((r) => r[1]))).toEqual(new Set(['Mosyle']));
    expect(rows[0]![4]).toBe('Devices (school.apple.com)');
    const html = readFileSync(join(p.dir, 'out/worksheet-asm.html'), 'utf8');
    expect(html).toContain('Where: Apple School Manager &gt; Devices');
    // No API write, and no ASM call at all (no credentials).
    expect(apiWrites()).toEqual({ mosyle: 0, asm: 0 });
    expect(p.world.calls.filter((c) => c.service === 'asm' || c.service === 'asm-token')).toHaveLength(0);
  });

  it('verify --asm-export (French, ";", BOM, reversed columns, an extra device): assigned, wrong server, not assigned', async () => {
    const left = csvRows('worksheet-asm.csv').map((r) => r[0]!);
    const [wrongServer, notDone, ...rest] = left;
    // The person follows the worksheet: all but two; one goes to the wrong server.
    assignInAsmConsole(p.world, rest);
    assignInAsmConsole(p.world, [wrongServer!], p.world.configuratorServerId);
    void notDone;
    const file = join(p.dir, 'asm-export-1.csv');
    writeFileSync(
      file,
      asmDeviceExport(p.world, {
        language: 'fr',
        bom: true,
        order: 'reversed',
        extra: [{ serial: 'F9FZZ0001XYZ', name: 'other', server: 'Mosyle' }],
      }),
    );
    const r = await p.cli('verify', '--asm-export', file);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/1 iPad\(s\) not in the plan, left alone \(F9FZZ0001XYZ\)/);
    const f = fleet();
    for (const s of rest) {
      expect(f.devices.get(s)!.state).toBe('assigned');
      expect(f.devices.get(s)!.by).toBe('person');
      expect(f.devices.get(s)!.ref).toMatch(/^Apple School Manager export "asm-export-1\.csv", line \d+$/);
    }
    expect(f.devices.get(wrongServer!)!.state).toBe('in-asm');
    expect(f.devices.get(notDone!)!.state).toBe('in-asm');
    const c = checks();
    expect(c.find((x) => x.serial === wrongServer)).toMatchObject({
      step: 'assign',
      outcome: 'wrong',
      detail: 'assigned to "Apple Configurator", not "Mosyle"',
    });
    expect(c.find((x) => x.serial === notDone)?.detail).toBe('assigned to "Apple Configurator", not "Mosyle"');
    // The iPads already in ASM before (bought by the school, moved earlier) are reconciled from the export.
    for (const w of p.world.school.devices.filter((d) => d.kind === 'already-moved'))
      expect(f.devices.get(w.serial)!.state).toBe('assigned');
    for (const w of p.world.school.devices.filter((d) => d.kind === 'school-bought')) {
      expect(f.devices.get(w.serial)!.state).toBe('in-asm');
      expect(c.find((x) => x.serial === w.serial)?.detail).toBe(
        'not assigned to any MDM server (assign it to "Mosyle")',
      );
    }
    // A re-run worksheet lists only what is left, with what differs.
    const again = csvRows('worksheet-asm.csv');
    const expected = [
      wrongServer!,
      notDone!,
      ...p.world.school.devices.filter((d) => d.kind === 'school-bought').map((d) => d.serial),
    ];
    expect(again.map((r) => r[0])).toEqual(expected.sort());
    expect(again.find((r) => r[0] === wrongServer)![3]).toMatch(/^Wrong: assigned to "Apple Configurator"/);
    expect(apiWrites()).toEqual({ mosyle: 0, asm: 0 });
  });

  it('run again: the Mosyle steps are handed out as a worksheet of the assigned iPads; the ASM sheet keeps what differed', async () => {
    const r = await p.cli('run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Mosyle Manager: handed to a person \(Mosyle API: api-not-enabled\)/);
    const f = fleet();
    const wrong = checks().find((c) => c.outcome === 'wrong' && c.step === 'assign')!;
    const asmRow = csvRows('worksheet-asm.csv').find((row) => row[0] === wrong.serial)!;
    expect(asmRow[3]).toBe(`Wrong: ${wrong.detail} (${wrong.source})`);
    // The Mosyle worksheet lists the assigned iPads: new name and group, both to do.
    const mosyle = csvRows('worksheet-mosyle.csv');
    const assigned = f.list().filter((d) => d.state === 'assigned');
    expect(mosyle.map((r) => r[0])).toEqual(assigned.map((d) => d.serial).sort());
    for (const row of mosyle) {
      const d = f.devices.get(row[0]!)!;
      expect(row.slice(2, 6)).toEqual([d.name, '', d.group, '']);
    }
    expect(apiWrites()).toEqual({ mosyle: 0, asm: 0 });
  });

  it('run --mosyle-export (tabs, columns rotated, typos, one iPad missing, one extra): renamed, grouped, or wrong with what differs', async () => {
    const sheet = csvRows('worksheet-mosyle.csv');
    expect(sheet.length).toBeGreaterThan(20);
    const [typoO, typoCase, notGrouped, wrongGroup, missing, ...rest] = sheet.map((r) => ({
      serial: r[0]!,
      name: r[2]!,
      group: r[4]!,
    }));
    // The person types the names and picks the groups from the worksheet, with mistakes.
    for (const x of [typoO!, typoCase!, notGrouped!, wrongGroup!, missing!, ...rest]) {
      renameInMosyleConsole(p.world, x.serial, x.name);
      groupInMosyleConsole(p.world, x.serial, x.group);
    }
    renameInMosyleConsole(p.world, typoO!.serial, typoO!.name.replace(/0(?=\d$)/, 'O'));
    renameInMosyleConsole(p.world, typoCase!.serial, typoCase!.name.toLowerCase());
    groupInMosyleConsole(p.world, notGrouped!.serial, '');
    const otherGroup = p.world.school.groups.find((g) => g !== wrongGroup!.group)!;
    groupInMosyleConsole(p.world, wrongGroup!.serial, otherGroup);
    const file = join(p.dir, 'mosyle-export-1.csv');
    writeFileSync(
      file,
      mosyleDeviceExport(p.world, {
        delimiter: '\t',
        order: 'rotated',
        omit: new Set([missing!.serial]),
        extra: [{ serial: 'F9FZZ0002XYZ', name: 'Lab-01', group: 'Lab' }],
      }),
    );
    const r = await p.cli('run', '--mosyle-export', file);
    expect(r.code, r.stderr).toBe(0);
    const f = fleet();
    for (const x of rest) {
      const d = f.devices.get(x.serial)!;
      expect(d.state, `${x.serial}: ${d.reason}`).toBe('done');
      const byStep = Object.fromEntries(d.history.map((h) => [h.to, h]));
      for (const s of ['enrolled', 'renamed', 'grouped'])
        expect(byStep[s]).toMatchObject({
          by: 'person',
          ref: expect.stringMatching(/^Mosyle Manager export "mosyle-export-1\.csv", line \d+$/),
        });
    }
    const c = checks().filter((x) => x.source.includes('mosyle-export-1'));
    const of = (serial: string) => c.find((x) => x.serial === serial);
    expect(f.devices.get(typoO!.serial)!.state).toBe('enrolled');
    expect(of(typoO!.serial)).toMatchObject({ step: 'rename', outcome: 'wrong' });
    expect(of(typoO!.serial)!.detail).toMatch(
      /^named ".*O\d", not ".*0\d": character \d+ is "O" where "0" was expected$/,
    );
    expect(of(typoCase!.serial)!.detail).toMatch(/differs only in upper\/lower case$/);
    expect(f.devices.get(notGrouped!.serial)!.state).toBe('renamed');
    expect(of(notGrouped!.serial)).toMatchObject({
      step: 'group',
      outcome: 'wrong',
      detail: `in no shared device group (put it in "${notGrouped!.group}")`,
    });
    expect(of(wrongGroup!.serial)!.detail).toBe(`in "${otherGroup}", not in "${wrongGroup!.group}"`);
    expect(f.devices.get(missing!.serial)!.state).toBe('assigned');
    expect(of(missing!.serial)).toMatchObject({ step: 'enrol', outcome: 'missing' });
    expect(r.stdout).toMatch(
      /Mosyle Manager export "mosyle-export-1\.csv": 1 iPad\(s\) not in the plan, left alone \(F9FZZ0002XYZ\)/,
    );
    // What is left, and only that: the four mistakes and the missing one, each with what differs.
    const left = csvRows('worksheet-mosyle.csv');
    expect(left.map((row) => row[0])).toEqual(
      [typoO!, typoCase!, notGrouped!, wrongGroup!, missing!].map((x) => x.serial).sort(),
    );
    const row = (serial: string) => left.find((x) => x[0] === serial)!;
    expect(row(typoO!.serial).slice(1, 6)).toEqual([
      typoO!.name.replace(/0(?=\d$)/, 'O'),
      typoO!.name,
      '',
      typoO!.group,
      '',
    ]);
    expect(row(notGrouped!.serial)[3]).toBe('done');
    expect(row(notGrouped!.serial)[6]).toMatch(/^Wrong: in no shared device group/);
    expect(row(missing!.serial)[6]).toMatch(/^Missing: not in the Mosyle export/);
    expect(apiWrites()).toEqual({ mosyle: 0, asm: 0 });
  });

  it('after the fixes, one more export each: every iPad done, the sheets empty, the report says who did each step', async () => {
    const f0 = fleet();
    const asmLeft = f0
      .list()
      .filter((d) => d.state === 'in-asm')
      .map((d) => d.serial);
    assignInAsmConsole(p.world, asmLeft);
    for (const d of f0.list()) {
      if (d.state === 'failed') continue;
      renameInMosyleConsole(p.world, d.serial, d.name);
      groupInMosyleConsole(p.world, d.serial, d.group);
    }
    const asmFile = join(p.dir, 'asm-export-2.csv');
    const mosyleFile = join(p.dir, 'mosyle-export-2.csv');
    writeFileSync(asmFile, asmDeviceExport(p.world, { order: 'rotated' }));
    writeFileSync(mosyleFile, mosyleDeviceExport(p.world, { language: 'fr', bom: true }));
    const v = await p.cli('verify', '--asm-export', asmFile, '--mosyle-export', mosyleFile);
    expect(v.code, v.stderr).toBe(0);
    expect(v.stdout).toMatch(/nothing left: .*worksheet-asm\.html/);
    expect(v.stdout).toMatch(/nothing left: .*worksheet-mosyle\.html/);
    const r = await p.cli('run');
    expect(r.code, r.stderr).toBe(0);
    const f = fleet();
    for (const w of p.world.school.devices) {
      const d = f.devices.get(w.serial)!;
      if (w.kind === 'not-released') continue;
      expect(d.state, `${w.serial} (${w.kind})`).toBe('done');
    }
    expect(readFileSync(join(p.dir, 'out/worksheet-mosyle.html'), 'utf8')).toContain('id="nothing-left"');
    expect(csvRows('worksheet-asm.csv')).toEqual([]);
    const rep = await p.cli('report');
    expect(rep.code, rep.stderr).toBe(0);
    const html = readFileSync(join(p.dir, 'out/report.html'), 'utf8');
    expect(html).toMatch(/person/);
    expect(html).toMatch(
      /enrolled, renamed, grouped verified in Mosyle Manager export &quot;mosyle-export-1\.csv&quot;/,
    );
    expect(html).toMatch(/assigned verified in Apple School Manager export &quot;asm-export-1\.csv&quot;/);
    expect(apiWrites()).toEqual({ mosyle: 0, asm: 0 });
  });

  it('verify without an export, or with one that does not exist: a clear message and nothing written', async () => {
    const before = journal().length;
    const none = await p.cli('verify');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/verify needs a console export/);
    expect(none.stderr).toMatch(/--mosyle-export <file>/);
    const missing = await p.cli('verify', '--asm-export', join(p.dir, 'no-such-export.csv'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no-such-export\.csv: does not exist/);
    expect(journal()).toHaveLength(before);
  });

  it('no secret in the worksheets, the exports read, the journal or the report', () => {
    const secrets = p.world.secrets();
    expect(secrets.length).toBeGreaterThan(3);
    const files = [
      ...readdirSync(join(p.dir, 'out')).map((f) => join(p.dir, 'out', f)),
      join(p.dir, 'state/journal.jsonl'),
    ];
    expect(files.some((f) => f.endsWith('worksheet-mosyle.html'))).toBe(true);
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      for (const s of secrets) expect(text.includes(s), `${f} holds a secret`).toBe(false);
    }
  });
});
