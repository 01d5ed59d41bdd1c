/** The token option: a certs `ContentToken` or the file text; Apple's date formats. */
import { parseContentToken } from '@schoolmdm/certs';
import { createContentTokenFile } from '@schoolmdm/certs/testing';
import { InvalidArgumentError } from '@schoolmdm/core';
import { describe, expect, it } from 'vitest';
import { AppsAndBooksClient, TokenExpiredError } from '../../src/apps-and-books/index.js';
import { parseAppleDateTime, resolveToken } from '../../src/apps-and-books/token.js';

const FUTURE = new Date('2030-11-08T22:33:22Z');

describe('resolveToken', () => {
  it('takes a ContentToken from @schoolmdm/certs: the whole file is the Bearer value', () => {
    const file = createContentTokenFile({ orgName: 'Springfield Elementary', expiresAt: FUTURE });
    const token = parseContentToken(file);
    expect(resolveToken(token)).toMatchObject({ bearer: file, expiresAt: FUTURE, orgName: 'Springfield Elementary' });
    const client = new AppsAndBooksClient({ token });
    expect(client.orgName).toBe('Springfield Elementary');
    expect(client.tokenExpiresAt).toEqual(FUTURE);
  });

  it('reads expiry and organisation from the raw file text, in every offset style', () => {
    for (const offsetStyle of ['+0000', '+00:00', 'Z'] as const) {
      const file = createContentTokenFile({ orgName: 'Shelbyville', expiresAt: FUTURE, offsetStyle });
      expect(resolveToken(file)).toMatchObject({ bearer: file, expiresAt: FUTURE, orgName: 'Shelbyville' });
    }
  });

  it('joins a file wrapped over several lines (with a BOM and CRLF) into one header value', () => {
    const file = createContentTokenFile({ orgName: 'Ogdenville', expiresAt: FUTURE });
    const wrapped = `\uFEFF${file.match(/.{1,64}/g)?.join('\r\n')}\r\n`;
    expect(resolveToken(wrapped).bearer).toBe(file);
  });

  it('accepts an opaque token (Apple judges it); the expiry is then unknown', () => {
    expect(resolveToken('c2VjcmV0LW9wYXF1ZQ')).toEqual({
      bearer: 'c2VjcmV0LW9wYXF1ZQ',
      expiresAt: undefined,
      orgName: undefined,
    });
  });

  it('refuses what cannot be a token, without quoting it', () => {
    const cases: unknown[] = [
      '',
      '   ',
      '{"token":"abc","expDate":"x"}',
      'abc\u0000def',
      'é-token',
      null,
      42,
      { token: 42 },
    ];
    for (const input of cases) {
      let error: unknown;
      try {
        resolveToken(input);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect((error as InvalidArgumentError).argument).toBe('token');
      if (typeof input === 'string' && input.length > 3) expect((error as Error).message).not.toContain(input);
    }
  });

  it('an expired ContentToken is refused by the constructor with its date', () => {
    const expiresAt = new Date('2020-01-01T00:00:00Z');
    const token = parseContentToken(createContentTokenFile({ orgName: 'Capital City', expiresAt }));
    expect(() => new AppsAndBooksClient({ token })).toThrow(TokenExpiredError);
    expect(() => new AppsAndBooksClient({ token })).toThrow(/Capital City.*2020-01-01T00:00:00\.000Z/);
  });
});

describe('parseAppleDateTime', () => {
  it('parses Apple’s colon-less offsets and the other ISO 8601 forms', () => {
    expect(parseAppleDateTime('2030-11-08T22:33:22+0000')).toEqual(FUTURE);
    expect(parseAppleDateTime('2030-11-09T00:33:22+02:00')).toEqual(FUTURE);
    expect(parseAppleDateTime('2030-11-08T17:33:22-05')).toEqual(FUTURE);
    expect(parseAppleDateTime('2030-11-08T22:33:22.000Z')).toEqual(FUTURE);
    expect(parseAppleDateTime('2030-11-08 22:33:22Z')).toEqual(FUTURE);
  });

  it('returns undefined for what is not a date-time', () => {
    for (const v of ['', 'tomorrow', '2030-13-01T00:00:00Z', '2030-11-08', '2030-11-08T25:00:00Z']) {
      expect(parseAppleDateTime(v)).toBeUndefined();
    }
  });
});
