import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  SchoolMdmError,
  TimeoutError,
  UnprocessableEntityError,
} from '../../src/index.js';
import { sanitizeCause } from '../../src/internal/sanitize.js';

const SECRETS = ['SECRET_TOKEN_1', 'SECRET_PW_2', 'SECRET_JWT_3', 'SECRET_COOKIE_4'];

/** Every rendering of an error a user might print or ship to a log collector. */
function renderings(err: unknown): string[] {
  return [
    String(err),
    JSON.stringify(err),
    inspect(err),
    inspect(err, { depth: 10, showHidden: true }),
    (err as Error).stack ?? '',
  ];
}

function expectSecretFree(err: unknown): void {
  for (const text of renderings(err)) {
    for (const s of SECRETS) expect(text).not.toContain(s);
  }
}

describe('ApiError.generate', () => {
  it.each([
    [400, BadRequestError],
    [401, AuthenticationError],
    [403, PermissionDeniedError],
    [404, NotFoundError],
    [409, ConflictError],
    [422, UnprocessableEntityError],
    [429, RateLimitError],
    [500, InternalServerError],
    [503, InternalServerError],
  ] as const)('maps %i to %s', (status, Class) => {
    const err = ApiError.generate({ status, method: 'GET', url: 'https://x.test/a' });
    expect(err).toBeInstanceOf(Class);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toBeInstanceOf(SchoolMdmError);
    expect(err.name).toBe(Class.name);
    expect(err.status).toBe(status);
  });

  it('gives a plain ApiError for other statuses', () => {
    const err = ApiError.generate({ status: 405, method: 'GET', url: 'https://x.test/a' });
    expect(err.constructor).toBe(ApiError);
    expect(err.hint).toBeUndefined();
  });

  it('says what failed, where and how to fix it', () => {
    const err = ApiError.generate({
      status: 404,
      statusText: 'Not Found',
      method: 'GET',
      url: 'https://api-school.apple.com/v1/orgDevices/XABC?fields=a',
      code: 'NOT_FOUND',
      detail: 'The device was not found.',
      requestId: 'req-42',
    });
    expect(err.message).toBe(
      'GET https://api-school.apple.com/v1/orgDevices/XABC?fields=a failed with HTTP 404 Not Found (NOT_FOUND): The device was not found. [request id req-42] — Check the identifier (for devices, the serial number) and the base URL.',
    );
    expect(err.toJSON()).toMatchObject({
      name: 'NotFoundError',
      status: 404,
      code: 'NOT_FOUND',
      requestId: 'req-42',
      method: 'GET',
    });
  });

  it('lets a service hint replace the default', () => {
    const err = ApiError.generate({
      status: 403,
      method: 'GET',
      url: 'https://x.test',
      code: 'T_C_NOT_SIGNED',
      hint: 'Accept the new terms in Apple School Manager.',
    });
    expect(err.hint).toBe('Accept the new terms in Apple School Manager.');
  });

  it('carries retryAfterMs on a 429 and says how long to wait', () => {
    const err = ApiError.generate({ status: 429, method: 'POST', url: 'https://x.test', retryAfterMs: 120_000 });
    expect(err).toBeInstanceOf(RateLimitError);
    expect(err.retryAfterMs).toBe(120_000);
    expect((err as RateLimitError).source).toBe('server');
    expect(err.message).toContain('Wait 120 s');
  });
});

describe('RateLimitError raised before sending', () => {
  it('explains a host hold', () => {
    const err = new RateLimitError({ method: 'GET', url: 'https://x.test/a', source: 'hold', retryAfterMs: 3_600_000 });
    expect(err.message).toMatch(/^GET https:\/\/x\.test\/a was not sent: the host is held for another 3600 s/);
    expect(err.status).toBe(429);
    expect(err.stack?.split('\n')[0]).toBe(`RateLimitError: ${err.message}`);
  });

  it('explains a client-side rule', () => {
    const err = new RateLimitError({
      method: 'POST',
      url: 'https://x.test',
      source: 'client',
      detail: 'asm-post',
      retryAfterMs: 5000,
    });
    expect(err.message).toContain('a client-side rate-limit rule (asm-post) would hold it for another 5 s');
  });
});

describe('secrets never appear in errors', () => {
  const url = 'https://api.test/v1/login?access_token=SECRET_TOKEN_1&x=1';
  const body = '{"accessToken":"SECRET_TOKEN_1","password":"SECRET_PW_2","jwt":"SECRET_JWT_3","msg":"nope"}';

  it('ApiError: URL, detail, code and body excerpt are redacted', () => {
    const err = ApiError.generate({
      status: 401,
      method: 'POST',
      url,
      detail: 'Bad password=SECRET_PW_2 for Bearer SECRET_JWT_3',
      body,
    });
    expectSecretFree(err);
    expect(err.url).toBe('https://api.test/v1/login?access_token=[REDACTED]&x=1');
    expect(err.bodyExcerpt).toContain('"msg":"nope"');
  });

  it('ConnectionError, TimeoutError and AbortError redact URL, reason and cause chain', () => {
    const inner = Object.assign(new Error(`connect ECONNRESET while fetching ${url}`), { code: 'ECONNRESET' });
    const outer = new TypeError('fetch failed', { cause: inner });
    const conn = new ConnectionError(
      { method: 'GET', url },
      { code: 'ECONNRESET', reason: 'Cookie: a=SECRET_COOKIE_4' },
      { cause: sanitizeCause(outer) },
    );
    expectSecretFree(conn);
    expect(conn.code).toBe('ECONNRESET');
    const cause = conn.cause as Error & { cause: Error & { code: string } };
    expect(cause.message).toBe('fetch failed');
    expect(cause.cause.code).toBe('ECONNRESET');

    expectSecretFree(new TimeoutError({ method: 'GET', url }, 1000));
    expectSecretFree(
      new AbortError({ method: 'GET', url }, { cause: sanitizeCause(new Error('stop: token=SECRET_TOKEN_1')) }),
    );
    expectSecretFree(new AbortError({ method: 'GET', url }, { cause: sanitizeCause('reason Bearer SECRET_JWT_3') }));
  });

  it('ResponseValidationError redacts URL, messages and excerpt, and is not an ApiError', () => {
    const err = new ResponseValidationError(
      [{ path: 'data[0].id', code: 'invalid_type', message: 'token=SECRET_TOKEN_1' }],
      {
        method: 'GET',
        url,
        excerpt: body,
      },
    );
    expectSecretFree(err);
    expect(err).not.toBeInstanceOf(ApiError);
    expect(err.message).toContain('data[0].id');
  });

  it('InvalidArgumentError redacts the problem text', () => {
    expectSecretFree(new InvalidArgumentError('baseURL', `"https://u:SECRET_PW_2@x.test" is wrong`));
  });

  it('sanitizeCause keeps our own errors and copies foreign ones', () => {
    const ours = new NotFoundError({ status: 404, method: 'GET', url: 'https://x.test' });
    expect(sanitizeCause(ours)).toBe(ours);
    expect(sanitizeCause(undefined)).toBeUndefined();
    let chain: Error = new Error('root token=SECRET_TOKEN_1');
    for (let i = 0; i < 10; i++) chain = new Error(`level ${i}`, { cause: chain });
    const copy = sanitizeCause(chain);
    expectSecretFree(copy);
  });
});
