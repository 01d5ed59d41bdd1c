/**
 * The report a school opens: CSVs of all and of the failed iPads, and one self-contained HTML
 * page, opened in headless Chromium (Debian's, through playwright-core): no console error, the
 * table and the chart visible, sorting and filtering work, a screenshot is taken. Then every
 * file, journal line and printed line the program produced is scanned for every secret the
 * world handed out or issued.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, type Project } from './support.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
let p: Project;
const printed: string[] = [];
beforeAll(async () => {
  p = await makeProject({ devices: 60, seed: 9 });
  for (const args of [['check'], ['plan', '--devices'], ['run', '--limit', '5'], ['run'], ['status'], ['report']]) {
    const r = await p.cli(...args);
    printed.push(r.stdout, r.stderr);
    if (r.code !== 0 && args[0] !== 'check') throw new Error(`${args.join(' ')}: ${r.stderr}`);
  }
}, 120_000);
afterAll(() => p?.close());

describe('check', () => {
  it('tries the content token against Apple and judges the free licences against the plan', () => {
    expect(printed[0]).toMatch(
      /\[ok\] {3}Apps and Books licences \(content token accepted by Apple\): 2 app\(s\); the fewest free licences: 30 \(app 409183694\) for 60 iPads|\[warn\] Apps and Books licences .*: 2 app\(s\); the fewest free licences: 30 \(app 409183694\) for 60 iPads/,
    );
    expect(printed[0]).toMatch(/next: get 30 more licences of app 409183694/);
    expect(p.world.calls.some((c) => c.service === 'apps-and-books')).toBe(true);
  });
});

describe('report', () => {
  it('writes a CSV of every iPad and one of the failed ones', () => {
    const all = readFileSync(join(p.dir, 'out/devices.csv'), 'utf8').trimEnd().split('\r\n');
    expect(all[0]).toBe('serial,group,name,state,state (words),stopped at,reason,by,ref,udid,updated');
    expect(all).toHaveLength(61);
    const failed = readFileSync(join(p.dir, 'out/devices-failed.csv'), 'utf8').trimEnd().split('\r\n');
    expect(failed).toHaveLength(2);
    const bad = p.world.school.devices.find((d) => d.kind === 'not-released')!;
    expect(failed[1]).toMatch(new RegExp(`^${bad.serial},`));
    expect(failed[1]).toMatch(/old owner has not released it/);
  });

  it('opens in headless Chromium with no console error: table and chart visible, sort and filter work', async () => {
    expect(existsSync(CHROMIUM), `${CHROMIUM} (install Debian's chromium)`).toBe(true);
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`file://${join(p.dir, 'out/report.html')}`);
      await expect.poll(() => page.locator('#devices tbody tr').count()).toBe(60);
      expect(await page.locator('#devices').isVisible()).toBe(true);
      expect(await page.locator('#chart').isVisible()).toBe(true);
      expect(await page.locator('#chart rect').count()).toBe(11);
      const box = await page.locator('#chart').boundingBox();
      expect(box!.width).toBeGreaterThan(300);
      expect(await page.locator('#count-done').textContent()).toBe('59');

      // Filter by state, then by text.
      await page.selectOption('#state', 'failed');
      expect(await page.locator('#devices tbody tr:not([hidden])').count()).toBe(1);
      expect(await page.locator('#shown').textContent()).toBe('1');
      await page.selectOption('#state', '');
      await page.fill('#filter', 'ChariotA');
      const chariotA = p.world.school.devices.filter((d) => d.group === 'Chariot A').length;
      expect(await page.locator('#devices tbody tr:not([hidden])').count()).toBe(chariotA);
      await page.fill('#filter', '');

      // Sort by serial, both ways.
      const serials = async () => page.locator('#devices tbody tr td:first-child').allTextContents();
      await page.locator('#devices thead th:first-child button').click();
      const asc = await serials();
      expect(asc).toEqual([...asc].sort((a, b) => a.localeCompare(b, undefined, { numeric: true })));
      await page.locator('#devices thead th:first-child button').click();
      expect(await serials()).toEqual([...asc].reverse());
      expect(await page.locator('#devices thead th:first-child').getAttribute('aria-sort')).toBe('descending');

      const shot = join(p.dir, 'out/report.png');
      await page.screenshot({ path: shot, fullPage: true });
      expect(statSync(shot).size).toBeGreaterThan(10_000);
      expect(problems).toEqual([]);
      expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 60_000);
});

describe('no secret in any output', () => {
  const outputs = () => {
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const f = join(d, e.name);
        if (e.isDirectory()) walk(f);
        else if (!f.endsWith('.png')) files.push(f);
      }
    };
    walk(join(p.dir, 'out'));
    walk(join(p.dir, 'state'));
    return files;
  };

  it('scans every report, the journal and everything printed', () => {
    const secrets = p.world.secrets();
    expect(secrets.length).toBeGreaterThan(8);
    expect(p.world.mosyle.state.jwts.length).toBeGreaterThan(0);
    expect(p.world.asm.state.tokens.size).toBeGreaterThan(0);
    const texts = [
      ...outputs().map((f) => ({ where: f, text: readFileSync(f, 'utf8') })),
      ...printed.map((text, i) => ({ where: `printed #${i}`, text })),
    ];
    expect(texts.length).toBeGreaterThan(10);
    for (const { where, text } of texts) {
      for (const s of secrets) expect(text.includes(s), `${where} holds a secret`).toBe(false);
      expect(text, where).not.toMatch(/PRIVATE KEY/);
    }
  });

  it('writes keys and credentials owner-only', () => {
    for (const f of [
      'keys/mdm-private-key.pem',
      'keys/push-private-key.pem',
      'secrets/asm-api-key.pem',
      'secrets/mosyle-password',
    ]) {
      expect(statSync(join(p.dir, f)).mode & 0o077, f).toBe(0);
    }
  });
});
