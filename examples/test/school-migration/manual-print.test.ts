/**
 * The worksheets in headless Chromium (Debian's, through playwright-core): they open with no
 * console error and no request, and print to PDF on A4 without cutting a row — every row has
 * `break-inside: avoid`, fits a page, and the pages Chromium prints are exactly the pages a
 * layout that never cuts a row needs (computed from the rows' heights in print media against
 * the printable page height, with the header row repeated on each page).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleName } from '../../school-migration/src/manual/consoles.js';
import { type WorksheetLine, worksheetHtml } from '../../school-migration/src/manual/worksheet.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const MM = 96 / 25.4;
const MARGIN_MM = 12;
const PRINT_WIDTH = (210 - 2 * MARGIN_MM) * MM;
const PRINT_HEIGHT = (297 - 2 * MARGIN_MM) * MM;

let dir: string;
let browser: Browser;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'worksheet-print-'));
  expect(existsSync(CHROMIUM), `${CHROMIUM} (install Debian's chromium)`).toBe(true);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
}, 30_000);
afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** 170 iPads; every seventh with a long note that wraps over several lines (rows of unequal height). */
function lines(): WorksheetLine[] {
  const out: WorksheetLine[] = [];
  for (let i = 0; i < 170; i++) {
    const serial = `DMP${(0x5a3c1 * (i + 7)).toString(36).toUpperCase().padStart(9, '0').slice(-9)}`;
    const group = ['Chariot A', 'Chariot B', 'P1A', 'P2B'][i % 4]!;
    const line: WorksheetLine = {
      serial,
      name: `ESM-${group.replace(' ', '')}-${String(i + 1).padStart(2, '0')}`,
      group,
      server: 'Mosyle',
      tasks: i % 5 === 0 ? ['group'] : ['rename', 'group'],
    };
    if (i % 7 === 0)
      line.note = `Wrong: named "ESM-${group}-O${i % 10}", not the name above: character 14 is "O" where "0" was expected (Mosyle Manager export "Devices overview 2026-12-03 export, after the second cart.csv", line ${i + 2})`;
    if (i % 11 === 0) line.currentName = `iPad de la classe ${group} numéro ${i}`;
    out.push(line);
  }
  return out;
}

async function printCheck(console: ConsoleName) {
  const file = join(dir, `worksheet-${console}.html`);
  const all = lines();
  writeFileSync(
    file,
    worksheetHtml(all, { school: 'Ecole Sainte-Marie', console, generatedAt: new Date(0), verified: 12 }),
  );
  const page = await browser.newPage({ viewport: { width: Math.floor(PRINT_WIDTH), height: 1000 } });
  try {
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(`file://${file}`);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('#worksheet tbody tr').count()).toBe(all.length);
    // The console's order: by serial.
    const serials = await page
      .locator('#worksheet tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-serial')));
    expect(serials).toEqual(all.map((l) => l.serial).sort());
    expect(await page.locator('.path').textContent()).toBe(
      console === 'mosyle'
        ? 'Where: Mosyle Manager > Management > Devices > Devices overview'
        : 'Where: Apple School Manager > Devices (school.apple.com)',
    );

    const layout = await page.evaluate(() => {
      const table = document.getElementById('worksheet') as HTMLTableElement;
      const head = table.tHead!.getBoundingClientRect();
      const rows = Array.from(table.tBodies[0]!.rows).map((r) => {
        const b = r.getBoundingClientRect();
        return { top: b.top + window.scrollY, height: b.height, avoid: getComputedStyle(r).breakInside };
      });
      return {
        tableTop: table.getBoundingClientRect().top + window.scrollY,
        headHeight: head.height,
        headRepeats: getComputedStyle(table.tHead!).display,
        rows,
        width: document.documentElement.scrollWidth,
      };
    });
    expect(new Set(layout.rows.map((r) => r.avoid))).toEqual(new Set(['avoid']));
    expect(layout.headRepeats).toBe('table-header-group');
    // Nothing wider than the printable width (no column cut off at the right).
    expect(layout.width).toBeLessThanOrEqual(Math.ceil(PRINT_WIDTH));
    const heights = layout.rows.map((r) => r.height);
    expect(Math.max(...heights)).toBeGreaterThan(Math.min(...heights) * 1.5);
    // Paginate as a printer that never cuts a row: a row that does not fit starts the next page,
    // under the repeated header.
    let pages = 1;
    let pageEnd = PRINT_HEIGHT;
    let y = layout.tableTop + layout.headHeight;
    for (const h of heights) {
      expect(h + layout.headHeight).toBeLessThan(PRINT_HEIGHT);
      if (y + h > pageEnd + 0.5) {
        y = pageEnd + layout.headHeight;
        pageEnd += PRINT_HEIGHT;
        pages++;
      }
      y += h;
    }
    expect(pages).toBeGreaterThan(2);

    // The same layout engine, fragmented into page-sized columns (multicol is a fragmentation
    // context like a printed page, with the same break rules): a cut row has one box per column.
    const fragments = await page.evaluate(
      ({ width, height }) => {
        const wrap = document.createElement('div');
        wrap.style.cssText = `column-width:${width}px;column-count:auto;column-gap:0;column-fill:auto;height:${height}px;width:${width}px`;
        while (document.body.firstChild) wrap.appendChild(document.body.firstChild);
        document.body.appendChild(wrap);
        const table = document.getElementById('worksheet') as HTMLTableElement;
        const cut = Array.from(table.tBodies[0]!.rows)
          .filter((r) => r.getClientRects().length > 1)
          .map((r) => r.getAttribute('data-serial'));
        const lefts = new Set(
          Array.from(table.tBodies[0]!.rows).map((r) => Math.round(r.getBoundingClientRect().left / width)),
        );
        return { cut, columns: lefts.size };
      },
      { width: PRINT_WIDTH, height: PRINT_HEIGHT },
    );
    expect(fragments.cut).toEqual([]);
    expect(fragments.columns).toBe(pages);
    await page.reload();
    await page.emulateMedia({ media: 'print' });

    const pdf = await page.pdf({
      format: 'A4',
      margin: { top: `${MARGIN_MM}mm`, bottom: `${MARGIN_MM}mm`, left: `${MARGIN_MM}mm`, right: `${MARGIN_MM}mm` },
    });
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const printed = pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)?.length ?? 0;
    // Cutting rows would fill each page to the bottom and need fewer pages.
    expect(printed).toBe(pages);
    expect(problems).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
  } finally {
    await page.close();
  }
}

describe('worksheets in headless Chromium', () => {
  it('the Mosyle worksheet prints on A4 without a cut row', async () => {
    await printCheck('mosyle');
  });
  it('the Apple School Manager worksheet prints on A4 without a cut row', async () => {
    await printCheck('asm');
  });
});
