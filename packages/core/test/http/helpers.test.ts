/** Unit tests of the transport's small parts: Retry-After parsing, backoff, URLs, bodies, error bodies. */
import { describe, expect, it } from 'vitest';
import { encodeBody } from '../../src/http/body.js';
import { buildUrl, normalizeBaseURL } from '../../src/http/url.js';
import {
  backoffDelay,
  defaultErrorBodyParser,
  isRetryableStatus,
  parseRetryAfter,
  retryAfterFromHeaders,
} from '../../src/index.js';

const NOW = Date.UTC(2026, 8, 1, 12, 0, 0);

describe('parseRetryAfter', () => {
  it('reads delta-seconds (1*DIGIT only, RFC 9110 §10.2.3)', () => {
    expect(parseRetryAfter('120', NOW)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', NOW)).toBe(0);
    expect(parseRetryAfter('1.5', NOW)).toBeUndefined();
  });

  it('reads every HTTP-date format (IMF-fixdate, RFC 850, asctime)', () => {
    expect(parseRetryAfter('Tue, 01 Sep 2026 12:00:30 GMT', NOW)).toBe(30_000);
    expect(parseRetryAfter('Tuesday, 01-Sep-26 12:01:00 GMT', NOW)).toBe(60_000);
    expect(parseRetryAfter('Tue Sep  1 12:00:10 2026', NOW)).toBeGreaterThanOrEqual(0);
  });

  it('gives 0 for a date in the past and undefined for garbage', () => {
    expect(parseRetryAfter('Tue, 01 Sep 2026 11:00:00 GMT', NOW)).toBe(0);
    for (const v of [undefined, null, '', 'soon', '-5']) expect(parseRetryAfter(v, NOW)).toBeUndefined();
  });
});

describe('retryAfterFromHeaders', () => {
  const h = (init: Record<string, string>) => retryAfterFromHeaders(new Headers(init), NOW);
  it('prefers retry-after-ms, then retry-after, then the reset headers', () => {
    expect(h({ 'retry-after-ms': '250', 'retry-after': '9' })).toBe(250);
    expect(h({ 'retry-after': '9', 'ratelimit-reset': '5' })).toBe(9000);
    expect(h({ 'ratelimit-reset': '5' })).toBe(5000);
    expect(h({ 'x-ratelimit-reset': '7' })).toBe(7000);
    expect(h({ 'x-ratelimit-reset': String(NOW / 1000 + 42) })).toBe(42_000);
    expect(h({ 'retry-after-ms': 'x', 'retry-after': 'bad' })).toBeUndefined();
    expect(h({})).toBeUndefined();
  });
});

describe('retry policy', () => {
  it('retries 408, 429 and 5xx only', () => {
    expect([408, 429, 500, 503, 599].every(isRetryableStatus)).toBe(true);
    expect([200, 400, 401, 403, 404, 409, 422, 600].some(isRetryableStatus)).toBe(false);
  });

  it('backs off 0.5 s·2ⁿ up to 8 s, minus up to 25 %', () => {
    expect([0, 1, 2, 3, 4, 5, 10].map((n) => backoffDelay(n, () => 0))).toEqual([
      500, 1000, 2000, 4000, 8000, 8000, 8000,
    ]);
    expect(backoffDelay(0, () => 0.5)).toBe(438);
  });
});

describe('buildUrl', () => {
  it('joins, encodes and appends', () => {
    expect(buildUrl('https://x.test/v1', '/a/b')).toBe('https://x.test/v1/a/b');
    expect(buildUrl('https://x.test', 'a', { q: 'a b&c', n: 1, skip: undefined, none: null })).toBe(
      'https://x.test/a?q=a%20b%26c&n=1',
    );
    expect(buildUrl('https://x.test', 'a?x=1#frag', { y: 2 })).toBe('https://x.test/a?x=1&y=2#frag');
    expect(buildUrl('https://x.test', 'a?', { y: 2 })).toBe('https://x.test/a?y=2');
    expect(buildUrl(undefined, 'https://abs.test/p', {})).toBe('https://abs.test/p');
  });

  it('normalises and checks base URLs', () => {
    expect(normalizeBaseURL('https://api-school.apple.com/')).toBe('https://api-school.apple.com');
    expect(() => normalizeBaseURL('api-school.apple.com')).toThrow(/not an absolute URL/);
  });
});

describe('encodeBody', () => {
  it('JSON for plain values, pass-through for fetch bodies, one-shot for streams', () => {
    expect(encodeBody({ a: 1 })).toEqual({ body: '{"a":1}', oneShot: false, json: true, secret: false });
    expect(encodeBody([1])).toMatchObject({ json: true });
    expect(encodeBody(undefined)).toEqual({ body: undefined, oneShot: false, json: false, secret: false });
    for (const b of [
      's',
      new URLSearchParams('a=1'),
      new Uint8Array(1),
      new ArrayBuffer(1),
      new Blob(['x']),
      new FormData(),
    ]) {
      expect(encodeBody(b)).toEqual({ body: b, oneShot: false, json: false, secret: false });
    }
    expect(encodeBody(new ReadableStream())).toMatchObject({ oneShot: true });
  });
});

describe('defaultErrorBodyParser', () => {
  const parse = (body: unknown) =>
    defaultErrorBodyParser({
      status: 400,
      headers: new Headers(),
      body,
      text: '',
      method: 'GET',
      url: 'https://x.test',
    });
  it('reads the shapes our services use', () => {
    expect(parse({ errors: [{ code: 'NOT_FOUND', title: 't', detail: 'd' }, {}] })).toEqual({
      code: 'NOT_FOUND',
      message: 'd (+1 more)',
    });
    expect(parse({ error: 'invalid_client', error_description: 'x' })).toEqual({
      code: 'invalid_client',
      message: 'x',
    });
    expect(parse({ error: { code: 'E1', message: 'm' } })).toEqual({ code: 'E1', message: 'm' });
    expect(parse({ status: 'ERROR', message: 'accessToken Required' })).toEqual({
      code: 'ERROR',
      message: 'accessToken Required',
    });
    expect(parse({ status: 405, message: 'INVALID_METHOD' })).toEqual({ code: undefined, message: 'INVALID_METHOD' });
    expect(parse('T_C_NOT_SIGNED')).toEqual({ code: 'T_C_NOT_SIGNED' });
    expect(parse('"EXPIRED_CURSOR"')).toEqual({ code: 'EXPIRED_CURSOR' });
    expect(parse('Service temporarily unavailable')).toEqual({ message: 'Service temporarily unavailable' });
    expect(parse('<html><body>502</body></html>')).toBeUndefined();
    expect(parse({ unrelated: 1 })).toBeUndefined();
    expect(parse('')).toBeUndefined();
    expect(parse(null)).toBeUndefined();
  });
});
