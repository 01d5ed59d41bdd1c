/** Request building, response reading, validation, error bodies, logging and options. */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  ApiError,
  AuthenticationError,
  BadRequestError,
  ConnectionError,
  InternalServerError,
  InvalidArgumentError,
  type LogFields,
  type Logger,
  looseObject,
  openEnum,
  PermissionDeniedError,
  ResponseValidationError,
  SchoolMdmError,
  Transport,
  type TransportOptions,
  VERSION,
} from '../../src/index.js';
import { VirtualClock } from '../support/clock.js';
import { jsonResponse, type Step, scriptedFetch, textResponse } from '../support/fetch.js';

const BASE = 'https://api.test/v1/';

function setup(steps: Step[], options: Partial<TransportOptions> = {}) {
  const clock = new VirtualClock();
  const fetch = scriptedFetch(...steps);
  const transport = new Transport({ baseURL: BASE, fetch, sleep: clock.sleep, now: clock.clock, ...options });
  return { clock, fetch, transport };
}

function recordingLogger() {
  const lines: { level: string; message: string; fields?: LogFields }[] = [];
  const at =
    (level: string) =>
    (message: string, fields?: LogFields): void => {
      lines.push({ level, message, fields });
    };
  const logger: Logger = { error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
  return { lines, logger };
}

describe('requests', () => {
  it('joins baseURL, path and query, and sends default headers', async () => {
    const { fetch, transport } = setup([jsonResponse({ ok: 1 })]);
    await transport.get('/orgDevices', {
      query: { limit: 100, cursor: undefined, 'fields[orgDevices]': 'serialNumber,status', tag: ['a', 'b'], on: true },
    });
    const call = fetch.calls[0]!;
    expect(call.url).toBe(
      'https://api.test/v1/orgDevices?limit=100&fields%5BorgDevices%5D=serialNumber%2Cstatus&tag=a&tag=b&on=true',
    );
    expect(call.method).toBe('GET');
    expect(call.headers.accept).toBe('application/json');
    expect(call.headers['user-agent']).toBe(`schoolmdm/${VERSION}`);
  });

  it('uses an absolute URL as is and appends to an existing query', async () => {
    const { fetch, transport } = setup([jsonResponse({})]);
    await transport.post('https://account.test/oauth2/token?x=1', {
      query: { y: 2 },
      body: 'grant_type=client_credentials',
    });
    expect(fetch.calls[0]!.url).toBe('https://account.test/oauth2/token?x=1&y=2');
    expect(fetch.calls[0]!.body).toBe('grant_type=client_credentials');
    expect(fetch.calls[0]!.headers['content-type']).toBeUndefined();
  });

  it('sends plain values as JSON with a content type', async () => {
    const { fetch, transport } = setup([jsonResponse({})]);
    await transport.post('listdevices', { body: { accessToken: 't', options: { os: 'ios' } } });
    expect(fetch.calls[0]!.body).toBe('{"accessToken":"t","options":{"os":"ios"}}');
    expect(fetch.calls[0]!.headers['content-type']).toBe('application/json');
  });

  it('merges headers: defaults, then request, then call options; null removes', async () => {
    const { fetch, transport } = setup([jsonResponse({})], {
      defaultHeaders: { 'X-Server-Protocol-Version': '8', 'X-Default': 'd' },
      userAgent: 'my-app/1',
    });
    await transport.get(
      '/a',
      { headers: { 'x-request': 'r', 'X-Default': null } },
      { headers: new Headers({ 'x-call': 'c' }) },
    );
    const h = fetch.calls[0]!.headers;
    expect(h).toMatchObject({
      'x-server-protocol-version': '8',
      'x-request': 'r',
      'x-call': 'c',
      'user-agent': 'my-app/1',
    });
    expect(h['x-default']).toBeUndefined();
  });

  it('upper-cases the method (undici rejects some lower-case methods)', async () => {
    const { fetch, transport } = setup([jsonResponse({})]);
    await transport.request({ method: 'patch' as 'PATCH', path: '/a', body: {} });
    expect(fetch.calls[0]!.method).toBe('PATCH');
  });

  it('gives fetch an abort signal only when something can abort the attempt', async () => {
    const { fetch, transport } = setup([jsonResponse({})], { timeoutMs: Number.POSITIVE_INFINITY });
    await transport.get('/a');
    expect(fetch.calls[0]!.signal).toBeUndefined();
    await transport.get('/a', {}, { signal: new AbortController().signal });
    expect(fetch.calls[1]!.signal).toBeInstanceOf(AbortSignal);
    await transport.get('/a', {}, { timeoutMs: 1000 });
    expect(fetch.calls[2]!.signal).toBeInstanceOf(AbortSignal);
  });

  it('looks up globalThis.fetch at call time when none is injected', async () => {
    const original = globalThis.fetch;
    const fake = scriptedFetch(jsonResponse({ late: true }));
    const transport = new Transport({ baseURL: BASE, dispatcher: false });
    globalThis.fetch = fake as unknown as typeof fetch;
    try {
      expect((await transport.get('/a')).data).toEqual({ late: true });
    } finally {
      globalThis.fetch = original;
    }
  });
});

describe('responses', () => {
  it('returns data, status, headers, request id and attempts', async () => {
    const { transport } = setup([
      jsonResponse({ a: 1 }, 200, { 'x-request-id': 'rid-1', authorization: 'Bearer jwt' }),
    ]);
    const res = await transport.get('/a');
    expect(res).toMatchObject({ data: { a: 1 }, status: 200, requestId: 'rid-1', attempts: 1 });
    // The raw headers are the client's to read (Mosyle's JWT arrives in Authorization).
    expect(res.headers.get('authorization')).toBe('Bearer jwt');
  });

  it('reads text, bytes, nothing, and an empty JSON body', async () => {
    const { transport } = setup([
      textResponse('serial\nA1\n'),
      textResponse('AB'),
      textResponse('ignored'),
      new Response(null, { status: 204 }),
    ]);
    expect((await transport.get('/csv', { responseType: 'text' })).data).toBe('serial\nA1\n');
    expect((await transport.get('/bin', { responseType: 'bytes' })).data).toEqual(new Uint8Array([65, 66]));
    expect((await transport.get('/none', { responseType: 'none' })).data).toBeUndefined();
    expect((await transport.delete('/x')).data).toBeUndefined();
  });

  it('reports a 2xx body that is not JSON as a ResponseValidationError', async () => {
    const { transport } = setup([textResponse('<html>maintenance</html>')]);
    const err = (await transport.get('/a').catch((e: unknown) => e)) as ResponseValidationError;
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err.issues[0]).toMatchObject({ code: 'invalid_json' });
    expect(err.excerpt).toBe('<html>maintenance</html>');
  });
});

describe('schema validation', () => {
  const Page = looseObject({
    data: z.array(
      looseObject({ id: z.string(), attributes: looseObject({ status: openEnum(['ASSIGNED', 'UNASSIGNED']) }) }),
    ),
  });

  it('passes unknown fields and new enum values, and infers the type', async () => {
    const body = { data: [{ id: 'A', attributes: { status: 'RELEASED', newField: 1 } }], meta: {} };
    const { transport } = setup([jsonResponse(body)]);
    const res = await transport.get('/orgDevices', { schema: Page });
    const status: 'ASSIGNED' | 'UNASSIGNED' | (string & {}) = res.data.data[0]!.attributes.status;
    expect(status).toBe('RELEASED');
    expect(res.data).toEqual(body);
  });

  it('fails a missing required field with its path, URL and a redacted excerpt', async () => {
    const body = {
      data: [{ id: 'A', attributes: { status: 'ASSIGNED' } }, { attributes: { status: 'ASSIGNED', token: 'S3CRET' } }],
    };
    const { transport } = setup([jsonResponse(body, 200, { 'x-request-id': 'r-9' })]);
    const err = (await transport
      .get('/orgDevices', { schema: Page, query: { access_token: 'S3CRET' }, what: 'orgDevices page' })
      .catch((e: unknown) => e)) as ResponseValidationError;
    expect(err).toBeInstanceOf(ResponseValidationError);
    expect(err).not.toBeInstanceOf(ApiError);
    expect(err.issues).toEqual([{ path: 'data[1].id', code: 'invalid_type', message: expect.any(String) }]);
    expect(err.message).toContain('orgDevices page from GET https://api.test/v1/orgDevices?access_token=[REDACTED]');
    expect(err.message).toContain('data[1].id');
    expect(err.requestId).toBe('r-9');
    expect(err.excerpt).toContain('"status":"ASSIGNED"');
    for (const text of [String(err), JSON.stringify(err), inspect(err, { depth: 10, showHidden: true })]) {
      expect(text).not.toContain('S3CRET');
    }
  });

  it("logs and continues in 'warn' mode, skips in 'off' mode", async () => {
    const { lines, logger } = recordingLogger();
    const bad = { data: [{ attributes: { status: 'X' } }] };
    const { transport } = setup([jsonResponse(bad)], { validation: 'warn', logger });
    expect((await transport.get('/a', { schema: Page })).data).toEqual(bad);
    const warn = lines.find((l) => l.level === 'warn');
    expect(warn?.message).toContain('does not match its schema');
    expect(warn?.fields?.issues).toEqual([expect.stringContaining('data[0].id')]);
    const off = setup([jsonResponse(bad)]);
    expect((await off.transport.get('/a', { schema: Page, validation: 'off' })).data).toEqual(bad);
  });
});

describe('error bodies', () => {
  it("reads Apple's JSON:API errors", async () => {
    const { transport } = setup([
      jsonResponse(
        {
          errors: [
            { status: '400', code: 'PARAMETER_ERROR.INVALID', title: 'Invalid', detail: 'limit must be ≤ 1000' },
          ],
        },
        400,
      ),
    ]);
    const err = (await transport.get('/a').catch((e: unknown) => e)) as BadRequestError;
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err.code).toBe('PARAMETER_ERROR.INVALID');
    expect(err.message).toContain('failed with HTTP 400 Bad Request (PARAMETER_ERROR.INVALID): limit must be ≤ 1000');
  });

  it("reads DEP's plain-text code and OAuth's error object", async () => {
    const { transport } = setup([
      textResponse('T_C_NOT_SIGNED', 403),
      jsonResponse({ error: 'invalid_client', error_description: 'bad client assertion' }, 400),
    ]);
    const a = (await transport.get('/session').catch((e: unknown) => e)) as PermissionDeniedError;
    expect(a).toBeInstanceOf(PermissionDeniedError);
    expect(a.code).toBe('T_C_NOT_SIGNED');
    const b = (await transport.post('/token', { body: 'x' }).catch((e: unknown) => e)) as BadRequestError;
    expect(b.code).toBe('invalid_client');
    expect(b.message).toContain('bad client assertion');
  });

  it('lets a parseErrorBody hook turn a 200 body into an error (Mosyle)', async () => {
    const parseErrorBody: TransportOptions['parseErrorBody'] = ({ body }) => {
      const inner = (body as { response?: { status?: string } })?.response?.status;
      if (inner === 'Unauthorized') return { status: 401, code: 'Unauthorized', message: 'JWT expired' };
      return undefined;
    };
    const { transport } = setup(
      [
        jsonResponse({ status: 'OK', response: { status: 'Unauthorized' } }),
        jsonResponse({ status: 'OK', response: { devices: [] } }),
      ],
      { parseErrorBody },
    );
    const err = (await transport.post('/listdevices', { body: {} }).catch((e: unknown) => e)) as AuthenticationError;
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.status).toBe(401);
    expect(err.code).toBe('Unauthorized');
    expect((await transport.post('/listdevices', { body: {} })).data).toEqual({
      status: 'OK',
      response: { devices: [] },
    });
  });

  it('retries a 2xx body the hook maps to a 5xx, when safe to repeat', async () => {
    const parseErrorBody: TransportOptions['parseErrorBody'] = ({ body }) =>
      (body as { busy?: boolean }).busy ? { status: 503, message: 'busy' } : undefined;
    const { clock, fetch, transport } = setup([jsonResponse({ busy: true }), jsonResponse({ busy: false })], {
      parseErrorBody,
      random: () => 0,
    });
    const res = await clock.run(transport.post('/list', { body: {} }, { idempotent: true }));
    expect(res.data).toEqual({ busy: false });
    expect(fetch.calls).toHaveLength(2);
  });

  it('wraps a throwing hook in a SchoolMdmError', async () => {
    const { transport } = setup([jsonResponse({})], {
      parseErrorBody: () => {
        throw new TypeError('cannot read x of undefined');
      },
    });
    const err = (await transport.get('/a').catch((e: unknown) => e)) as SchoolMdmError;
    expect(err).toBeInstanceOf(SchoolMdmError);
    expect(err.message).toContain('parseErrorBody hook threw');
  });
});

describe('options and input', () => {
  it.each([
    [{ baseURL: 'not a url' }, 'baseURL'],
    [{ baseURL: 'ftp://x.test' }, 'baseURL'],
    [{ timeoutMs: 0 }, 'timeoutMs'],
    [{ timeoutMs: -1 }, 'timeoutMs'],
    [{ maxRetries: 1.5 }, 'maxRetries'],
    [{ maxRetryAfterMs: Number.NaN }, 'maxRetryAfterMs'],
    [{ rateLimit: { maxConcurrency: 0 } }, 'rateLimit.maxConcurrency'],
    [{ rateLimit: { rules: [{ name: 'x', requests: 0, perMs: 1000 }] } }, 'rateLimit.rules[0].requests'],
    [{ rateLimit: { rules: [{ name: '', requests: 1, perMs: 1000 }] } }, 'rateLimit.rules[0].name'],
    [{ fetch: 'nope' as unknown as TransportOptions['fetch'] }, 'fetch'],
  ] as [TransportOptions, string][])('rejects bad options %o', (options, argument) => {
    let caught: unknown;
    try {
      new Transport(options);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expect((caught as InvalidArgumentError).argument).toBe(argument);
  });

  it('rejects a relative path without baseURL, a bad per-call option and an unserialisable body', async () => {
    const t = new Transport({ fetch: scriptedFetch(jsonResponse({})) });
    await expect(t.get('/a')).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(t.get('https://x.test/a', {}, { maxRetries: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(t.post('https://x.test/a', { body: { n: 1n } })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('reports an unbuildable request (invalid header value) without quoting the value', async () => {
    // Node's own fetch rejects the NUL before any connection; the URL is local all the same.
    const t = new Transport({
      baseURL: 'http://127.0.0.1:9',
      dispatcher: false,
      fetch: (url, init) => fetch(url, init),
    });
    const err = (await t
      .get('/a', { headers: { authorization: 'Bearer SE\u0000CRET' } })
      .catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(InvalidArgumentError);
    expect(inspect(err, { showHidden: true, depth: 10 })).not.toContain('CRET');
  });

  it('throws ConnectionError after close()', async () => {
    const { transport } = setup([jsonResponse({})]);
    await transport.close();
    const err = (await transport.get('/a').catch((e: unknown) => e)) as ConnectionError;
    expect(err).toBeInstanceOf(ConnectionError);
    expect(err.code).toBe('TRANSPORT_CLOSED');
  });
});

describe('logging and redaction', () => {
  const secretUrl = '/login?access_token=SECRET_QUERY';

  it('is silent by default', async () => {
    const { transport } = setup([jsonResponse({})]);
    await expect(transport.get('/a')).resolves.toBeDefined();
  });

  it('logs request id, method, redacted URL, status, duration and attempt', async () => {
    const { lines, logger } = recordingLogger();
    const { clock, transport } = setup(
      [
        jsonResponse({}, 500, { 'x-request-id': 'r1' }),
        jsonResponse({ accessToken: 'SECRET_BODY' }, 200, { 'x-request-id': 'r2' }),
      ],
      { logger, random: () => 0 },
    );
    await clock.run(transport.get(secretUrl, { headers: { authorization: 'Bearer SECRET_HEADER' } }));
    const requests = lines.filter((l) => l.message === 'http request');
    expect(requests.map((l) => l.fields)).toEqual([
      {
        id: 'req_1',
        requestId: 'r1',
        method: 'GET',
        url: 'https://api.test/v1/login?access_token=[REDACTED]',
        status: 500,
        durationMs: 0,
        attempt: 1,
      },
      {
        id: 'req_1',
        requestId: 'r2',
        method: 'GET',
        url: 'https://api.test/v1/login?access_token=[REDACTED]',
        status: 200,
        durationMs: 0,
        attempt: 2,
      },
    ]);
    expect(lines.find((l) => l.message === 'retrying request')?.fields).toMatchObject({ status: 500, delayMs: 500 });
    const all = JSON.stringify(lines);
    for (const s of ['SECRET_QUERY', 'SECRET_BODY', 'SECRET_HEADER']) expect(all).not.toContain(s);
  });

  it('logs a 429 hold as a warning and respects logLevel', async () => {
    const { lines, logger } = recordingLogger();
    const { clock, transport } = setup([jsonResponse({}, 429, { 'retry-after': '1' }), jsonResponse({})], {
      logger,
      logLevel: 'warn',
    });
    await clock.run(transport.get('/a'));
    expect(lines.map((l) => l.level)).toEqual(['warn']);
    expect(lines[0]?.fields).toMatchObject({ retryAfterMs: 1000 });
    // The hold carries up to 10 % jitter on top of Retry-After.
    expect(lines[0]?.fields?.holdMs).toBeGreaterThanOrEqual(1000);
    expect(lines[0]?.fields?.holdMs).toBeLessThanOrEqual(1100);
  });

  it('never shows secrets in any rendering of a thrown error', async () => {
    const body = '{"accessToken":"SECRET_BODY","password":"SECRET_PW","message":"denied"}';
    const { transport } = setup([textResponse(body, 401, { 'set-cookie': 'PHPSESSID=SECRET_COOKIE' })]);
    const err = (await transport
      .post(secretUrl, {
        body: { accessToken: 'SECRET_BODY', password: 'SECRET_PW' },
        headers: { authorization: 'Bearer SECRET_HEADER' },
      })
      .catch((e: unknown) => e)) as AuthenticationError;
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err.message).toContain('denied');
    for (const text of [
      String(err),
      JSON.stringify(err),
      inspect(err),
      inspect(err, { depth: 10, showHidden: true }),
      err.stack ?? '',
    ]) {
      for (const s of ['SECRET_QUERY', 'SECRET_BODY', 'SECRET_PW', 'SECRET_HEADER', 'SECRET_COOKIE']) {
        expect(text).not.toContain(s);
      }
    }
  });
});

describe('error class of each failure', () => {
  it('5xx is InternalServerError with the status kept', async () => {
    const { clock, transport } = setup([jsonResponse({}, 502)], { maxRetries: 0 });
    const err = (await clock.run(transport.get('/a')).catch((e: unknown) => e)) as InternalServerError;
    expect(err).toBeInstanceOf(InternalServerError);
    expect(err.status).toBe(502);
  });
});
