/**
 * The decrypted message: Apple's MIME + BEGIN/END MESSAGE envelope and its variants, and field
 * errors that name the field but never quote a value.
 */
import { describe, expect, it } from 'vitest';
import { MalformedInputError } from '../../src/index.js';
import { parseServerTokenPayload } from '../../src/server-token/payload.js';
import { catchError, MESSAGE, SECRETS, TOKEN } from './helpers.js';

const enc = (s: string) => new TextEncoder().encode(s);
const JSON_TEXT = MESSAGE.slice(MESSAGE.indexOf('{'), MESSAGE.lastIndexOf('}') + 1);
const FIELDS = JSON.parse(JSON_TEXT) as Record<string, string>;

describe('parseServerTokenPayload', () => {
  it('reads Apple’s exact message (CRLF headers, LF inside)', () => {
    expect(MESSAGE).toMatch(
      /^Content-Type: text\/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n-----BEGIN MESSAGE-----\n\{/,
    );
    const t = parseServerTokenPayload(enc(MESSAGE));
    expect([t.consumerKey, t.consumerSecret, t.accessToken, t.accessSecret]).toEqual([TOKEN.consumerKey, ...SECRETS]);
    expect(t.accessTokenExpiry.toISOString()).toBe('2026-01-17T11:02:21.000Z');
  });

  it.each([
    ['LF headers', MESSAGE.replace(/\r\n/g, '\n')],
    ['CRLF everywhere', MESSAGE.replace(/\r?\n/g, '\r\n')],
    ['no headers', MESSAGE.slice(MESSAGE.indexOf('-----BEGIN'))],
    ['bare JSON', JSON_TEXT],
    ['headers then bare JSON', `Content-Type: text/plain\r\n\r\n${JSON_TEXT}\r\n`],
    ['BOM and pretty JSON', `\uFEFF-----BEGIN MESSAGE-----\n${JSON.stringify(FIELDS, null, 2)}\n-----END MESSAGE-----`],
    ['extra fields', JSON.stringify({ ...FIELDS, server_name: 'Mosyle', extra: { a: 1 } })],
  ])('accepts %s', (_name, text) => {
    expect(parseServerTokenPayload(enc(text)).accessToken).toBe(TOKEN.accessToken);
  });

  it.each([
    ['2026-01-17T11:02:21.123Z', '2026-01-17T11:02:21.123Z'],
    ['2026-01-17T12:02:21+01:00', '2026-01-17T11:02:21.000Z'],
    ['2026-01-17T11:02:21+0000', '2026-01-17T11:02:21.000Z'],
  ])('parses access_token_expiry %s', (value, iso) => {
    const t = parseServerTokenPayload(enc(JSON.stringify({ ...FIELDS, access_token_expiry: value })));
    expect(t.accessTokenExpiry.toISOString()).toBe(iso);
  });

  it.each(['consumer_key', 'consumer_secret', 'access_token', 'access_secret', 'access_token_expiry'])(
    'names a missing, empty or mistyped %s without quoting values',
    (field) => {
      const variants: Array<[unknown, RegExp]> = [
        [undefined, /is missing/],
        ['', /is empty/],
        [42, /is a number, not a string/],
        [null, /is a null, not a string/],
      ];
      for (const [value, problem] of variants) {
        const json = { ...FIELDS, [field]: value };
        const e = catchError(() => parseServerTokenPayload(enc(JSON.stringify(json))));
        expect(e).toBeInstanceOf(MalformedInputError);
        expect(e.message).toContain(`"${field}"`);
        expect(e.message).toMatch(problem);
        for (const s of SECRETS) expect(e.message).not.toContain(s);
      }
    },
  );

  it.each([
    ['a date without time', '2026-01-17', /"access_token_expiry" \("2026-01-17"\) is not an RFC 3339/],
    ['an impossible date', '2026-02-30T00:00:00Z', /is not an RFC 3339/],
    ['free text (not quoted)', 'AT_soon_{"x"}', /"access_token_expiry" is not an RFC 3339/],
  ])('rejects %s as expiry', (_name, value, message) => {
    expect(() => parseServerTokenPayload(enc(JSON.stringify({ ...FIELDS, access_token_expiry: value })))).toThrow(
      message,
    );
  });

  it.each([
    ['no END line', `-----BEGIN MESSAGE-----\n${JSON_TEXT}\n`, /no "-----END MESSAGE-----"/],
    ['not JSON', `-----BEGIN MESSAGE-----\n${JSON_TEXT.slice(0, -1)}\n-----END MESSAGE-----\n`, /is not JSON/],
    ['a JSON array', '[1,2]', /JSON but not an object/],
    ['headers without a body', 'Content-Type: text/plain\r\n', /is not JSON/],
  ])('rejects %s without quoting the message', (_name, text, message) => {
    const e = catchError(() => parseServerTokenPayload(enc(text)));
    expect(e).toBeInstanceOf(MalformedInputError);
    expect(e.message).toMatch(message);
    for (const s of SECRETS) expect(e.message).not.toContain(s);
  });

  it('rejects content that is not UTF-8', () => {
    expect(() => parseServerTokenPayload(Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d))).toThrow(/not UTF-8 text/);
  });
});
