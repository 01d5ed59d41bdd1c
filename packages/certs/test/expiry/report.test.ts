import { type ExpiryItem, expiryReport } from '@schoolmdm/certs';
import { InvalidArgumentError } from '@schoolmdm/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeCert, rsaKey, type TestCert } from '../certificate/test-pki.js';

const DAY = 86_400_000;
const now = new Date('2026-09-01T12:00:00Z');
const at = (days: number) => new Date(now.getTime() + days * DAY);
const TOPIC = 'com.apple.mgmt.External.0c3f5b1a-9d2e-4f60-8a71-2b4c6d8e0f12';

let push: TestCert;
let mdm: TestCert;
beforeAll(() => {
  const ca = makeCert({
    subject: [['CN', 'Expiry CA']],
    key: rsaKey(0),
    ca: true,
    notBefore: at(-1000),
    notAfter: at(3000),
  });
  push = makeCert({
    subject: [
      ['UID', TOPIC],
      ['CN', 'APSP:2b4c6d8e0f12'],
      ['C', 'US'],
    ],
    key: rsaKey(1),
    issuer: ca,
    notBefore: at(-353),
    notAfter: at(12),
  });
  mdm = makeCert({
    subject: [['CN', 'schoolmdm MDM']],
    key: rsaKey(2),
    notBefore: at(-400),
    notAfter: at(-3.5),
  });
});

describe('expiryReport', () => {
  it('judges every kind, names each item and sorts the most urgent first', () => {
    const items: ExpiryItem[] = [
      { kind: 'content-token', token: { expiresAt: at(200), orgName: 'Lincoln USD' }, location: 'Lincoln High' },
      {
        kind: 'server-token',
        token: { accessTokenExpiry: at(29.5), consumerKey: 'CK_8f2d4c6e0a1b3c5d7e9f' },
        serverName: 'Mosyle',
      },
      { kind: 'push-certificate', certificate: push.certPem },
      { kind: 'certificate', certificate: mdm.der },
    ];
    const report = expiryReport(items, { now });
    expect(report.problems).toEqual([]);
    expect(report.counts).toEqual({ ok: 1, 'renew-soon': 2, expired: 1 });
    expect(report.rows.map((r) => [r.kind, r.label, r.state, r.daysLeft, r.index])).toEqual([
      ['certificate', expect.stringMatching(/^schoolmdm MDM \(serial [0-9A-F]+\)$/), 'expired', -4, 3],
      ['push-certificate', TOPIC, 'renew-soon', 12, 2],
      ['server-token', 'Mosyle', 'renew-soon', 29, 1],
      ['content-token', 'Lincoln USD — Lincoln High', 'ok', 200, 0],
    ]);
    const pushRow = report.rows[1]!;
    expect(pushRow.details).toMatchObject({ topic: TOPIC, commonName: 'APSP:2b4c6d8e0f12' });
    expect(pushRow.details.serialNumber).toMatch(/^[0-9A-F]+$/);
    expect(pushRow.message).toMatch(/Push certificate "com\.apple\.mgmt\..*" expires in 12 days \(2026-09-13\)\./);
    expect(pushRow.message).toMatch(/same|Apple ID that created it/);
    expect(pushRow.message).toContain('never "Create"');
    expect(report.rows[0]!.message).toMatch(/expired on 2026-08-29 \(3 days ago\)/);
    expect(report.rows[3]!.message).toBe(
      'Content token "Lincoln USD — Lincoln High" is valid until 2027-03-20 (200 days left).',
    );
    expect(report.now).toBe(now);
  });

  it('shows only a prefix of the server token consumer key', () => {
    const report = expiryReport(
      [{ kind: 'server-token', token: { accessTokenExpiry: at(100), consumerKey: 'CK_8f2d4c6e0a1b3c5d7e9f' } }],
      { now },
    );
    expect(report.rows[0]!.label).toBe('server token CK_8f2d4c6…');
    expect(JSON.stringify(report)).not.toContain('CK_8f2d4c6e0a1b3c5d7e9f');
  });

  it('puts the renewal-window and expiry boundaries where documented', () => {
    const token = (expiresAt: Date) => ({ kind: 'content-token' as const, token: { expiresAt, orgName: 'X' } });
    const judge = (d: Date) => expiryReport([token(d)], { now }).rows[0]!;
    expect(judge(at(30))).toMatchObject({ state: 'renew-soon', daysLeft: 30 });
    expect(judge(new Date(at(30).getTime() + 1))).toMatchObject({ state: 'ok', daysLeft: 30 });
    expect(judge(new Date(now.getTime() + 1))).toMatchObject({ state: 'renew-soon', daysLeft: 0 });
    expect(judge(now)).toMatchObject({ state: 'expired', daysLeft: 0 });
    expect(judge(new Date(now.getTime() - 1))).toMatchObject({ state: 'expired', daysLeft: -1 });
    expect(judge(new Date(now.getTime() - 1)).message).toMatch(/expired on 2026-09-01\. In Apple School Manager/);
    expect(judge(new Date(now.getTime() + 1)).message).toContain('expires in less than a day');
  });

  it('applies custom and per-kind thresholds', () => {
    const items: ExpiryItem[] = [
      { kind: 'content-token', token: { expiresAt: at(20), orgName: 'A' } },
      { kind: 'server-token', token: { accessTokenExpiry: at(20) } },
    ];
    const report = expiryReport(items, { now, thresholds: { renewSoonDays: 60, byKind: { 'content-token': 15 } } });
    expect(report.rows.map((r) => [r.kind, r.state, r.renewSoonDays])).toEqual([
      ['server-token', 'renew-soon', 60],
      ['content-token', 'ok', 15],
    ]);
    expect(report.rows[0]!.label).toBe('server token');
  });

  it('lists bad items as problems and still reports the good ones', () => {
    const report = expiryReport(
      [
        { kind: 'certificate', certificate: 'not a certificate' },
        { kind: 'push-certificate', certificate: mdm.certPem },
        { kind: 'server-token', token: { accessTokenExpiry: new Date('nope') } },
        { kind: 'content-token', token: { expiresAt: '2027-01-01', orgName: 'S' } } as unknown as ExpiryItem,
        { kind: 'vpp' } as unknown as ExpiryItem,
        null as unknown as ExpiryItem,
        { kind: 'push-certificate', certificate: push.der },
      ],
      { now },
    );
    expect(report.rows.map((r) => r.index)).toEqual([6]);
    expect(report.problems.map((p) => [p.index, p.kind])).toEqual([
      [0, 'certificate'],
      [1, 'push-certificate'],
      [2, 'server-token'],
      [3, 'content-token'],
      [4, 'vpp'],
      [5, undefined],
    ]);
    expect(report.problems[0]!.message).toMatch(/Malformed certificate/);
    expect(report.problems[1]!.message).toMatch(/carries no MDM topic.*kind "certificate"/);
    expect(report.problems[2]!.message).toMatch(/token\.accessTokenExpiry is not a valid Date/);
    expect(report.problems[3]!.message).toMatch(/token\.expiresAt is not a valid Date/);
    expect(report.problems[4]!.message).toMatch(/unknown kind "vpp"/);
  });

  it('uses a given label for a certificate and handles an empty list', () => {
    const report = expiryReport([{ kind: 'certificate', certificate: mdm.certPem, label: 'ASM public key' }], { now });
    expect(report.rows[0]).toMatchObject({ label: 'ASM public key', state: 'expired' });
    expect(report.rows[0]!.message).toMatch(/^Certificate "ASM public key" expired/);
    expect(expiryReport([], { now })).toEqual({
      now,
      rows: [],
      problems: [],
      counts: { ok: 0, 'renew-soon': 0, expired: 0 },
    });
  });

  it('throws InvalidArgumentError for invalid arguments (not for bad items)', () => {
    expect(() => expiryReport('x' as unknown as ExpiryItem[])).toThrow(InvalidArgumentError);
    expect(() => expiryReport([], { now: new Date('x') })).toThrow(
      /Invalid options.now: expected a valid Date, got an invalid Date/,
    );
    expect(() => expiryReport([], { thresholds: { renewSoonDays: -1 } })).toThrow(
      /options.thresholds.renewSoonDays: expected a non-negative number of days/,
    );
    expect(() => expiryReport([], { thresholds: { byKind: { vpp: 3 } as never } })).toThrow(
      /Invalid options.thresholds.byKind.vpp: unknown kind/,
    );
    expect(() => expiryReport([], { thershold: {} } as never)).toThrow(
      /Invalid options.thershold: unknown option; did you mean "thresholds"\?/,
    );
  });

  it('defaults now to the current time', () => {
    const before = Date.now();
    const report = expiryReport([
      { kind: 'content-token', token: { expiresAt: new Date(before + 90.5 * DAY), orgName: 'N' } },
    ]);
    expect(report.now.getTime()).toBeGreaterThanOrEqual(before);
    expect(report.now.getTime()).toBeLessThanOrEqual(Date.now());
    expect(report.rows[0]!.daysLeft).toBe(90);
    expect(report.rows[0]!.state).toBe('ok');
  });
});
