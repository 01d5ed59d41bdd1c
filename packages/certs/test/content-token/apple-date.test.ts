/**
 * The strict date-time parser shared by both tokens: every offset form, impossible dates, and a
 * property test against an independent formatter.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAppleDate } from '../../src/content-token/apple-date.js';

describe('parseAppleDate', () => {
  it.each([
    ['2026-01-17T11:02:21Z', '2026-01-17T11:02:21.000Z'],
    ['2026-01-17t11:02:21z', '2026-01-17T11:02:21.000Z'],
    ['2026-01-17 11:02:21+0000', '2026-01-17T11:02:21.000Z'],
    ['2026-01-17T11:02Z', '2026-01-17T11:02:00.000Z'],
    ['2026-01-17T11:02:21.5Z', '2026-01-17T11:02:21.500Z'],
    ['2026-01-17T11:02:21,123456-01:00', '2026-01-17T12:02:21.123Z'],
    ['2024-02-29T00:00:00+14:00', '2024-02-28T10:00:00.000Z'],
    ['  2026-01-17T11:02:21Z  ', '2026-01-17T11:02:21.000Z'],
  ])('%s', (input, iso) => {
    expect(parseAppleDate(input)?.toISOString()).toBe(iso);
  });

  it.each([
    '2026-01-17',
    '2026-01-17T11:02:21',
    '2025-02-29T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-01-17T24:00:00Z',
    '2026-01-17T11:60:00Z',
    '2026-01-17T11:02:21+24:00',
    '2026-01-17T11:02:21+0060',
    '2026-01-17T11:02:21+123',
    '0099-01-01T00:00:00Z',
    'Sat, 17 Jan 2026 11:02:21 GMT',
    '',
  ])('rejects %j', (input) => {
    expect(parseAppleDate(input)).toBeUndefined();
  });

  it('round-trips any instant written with any offset form', () => {
    const offset = fc.integer({ min: -14 * 60, max: 14 * 60 });
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-01'), max: new Date('2999-12-31'), noInvalidDate: true }),
        offset,
        fc.constantFrom('colon', 'compact', 'z'),
        (date, minutes, style) => {
          const ms = Math.floor(date.getTime() / 1000) * 1000;
          const off = style === 'z' ? 0 : minutes;
          const local = new Date(ms + off * 60_000).toISOString().slice(0, 19);
          const sign = off < 0 ? '-' : '+';
          const hh = String(Math.floor(Math.abs(off) / 60)).padStart(2, '0');
          const mm = String(Math.abs(off) % 60).padStart(2, '0');
          const suffix = style === 'z' ? 'Z' : style === 'colon' ? `${sign}${hh}:${mm}` : `${sign}${hh}${mm}`;
          expect(parseAppleDate(`${local}${suffix}`)?.getTime()).toBe(ms);
        },
      ),
      { numRuns: 300 },
    );
  });
});
