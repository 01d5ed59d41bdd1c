/**
 * Issue #8, defect 7: redirects are followed by the transport (`redirect: 'manual'`), with a
 * hop limit. Same-origin hops keep what fetch keeps; a hop to another origin never carries a
 * credential header (Authorization, Cookie, Proxy-Authorization, secretHeaders, secret-named
 * headers, SecretValue headers) nor a body. Two real node:http servers on different ports are
 * two origins; the last block checks the same under msw.
 */
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RedirectError, SecretValue, Transport } from '../../src/index.js';
import { startTestServer, type TestServer, type TestServerHandler } from '../../src/testing/index.js';

let a: TestServer;
let b: TestServer;
let handleA: TestServerHandler;
let handleB: TestServerHandler;

beforeAll(async () => {
  a = await startTestServer((req, res) => handleA(req, res));
  b = await startTestServer((req, res) => handleB(req, res));
});
afterAll(async () => {
  await a.close();
  await b.close();
});
beforeEach(() => {
  a.requests.length = 0;
  b.requests.length = 0;
  handleA = (_req, res) => res.end('{"at":"a"}');
  handleB = (_req, res) => res.end('{"at":"b"}');
});

function redirect(res: Parameters<TestServerHandler>[1], status: number, location: string) {
  res.writeHead(status, { location });
  res.end();
}

const credentials = {
  authorization: new SecretValue('Bearer SECRET_AUTH'),
  cookie: 'sid=SECRET_COOKIE',
  'proxy-authorization': 'Basic SECRET_PROXY',
  'x-adm-auth-session': 'SECRET_SESSION',
  'x-api-key': 'SECRET_APIKEY',
  'x-custom-credential-holder': new SecretValue('SECRET_CUSTOM'),
  'x-my-auth': 'SECRET_MINE',
  'x-server-protocol-version': '3',
};

function client(): Transport {
  return new Transport({ baseURL: a.url, secretHeaders: ['x-my-auth'], maxRetries: 0 });
}

describe('same-origin redirects keep fetch semantics', () => {
  it('307 POST resends method, body and headers', async () => {
    handleA = (req, res) => (req.url === '/old' ? redirect(res, 307, '/new') : res.end('{"ok":true}'));
    const r = await client().post('/old', {
      body: { accessToken: new SecretValue('SECRET_BODY') },
      headers: credentials,
    });
    expect(r.data).toEqual({ ok: true });
    const second = a.requests[1];
    expect(second?.method).toBe('POST');
    expect(second?.url).toBe('/new');
    expect(second?.body).toBe('{"accessToken":"SECRET_BODY"}');
    expect(second?.headers.authorization).toBe('Bearer SECRET_AUTH');
    expect(second?.headers['x-my-auth']).toBe('SECRET_MINE');
  });

  it('303 turns a POST into a GET without body or body headers', async () => {
    handleA = (req, res) => (req.url === '/submit' ? redirect(res, 303, '/result') : res.end('{}'));
    await client().post('/submit', { body: { a: 1 } });
    expect(a.requests.map((r) => `${r.method} ${r.url} ${r.body}`)).toEqual(['POST /submit {"a":1}', 'GET /result ']);
    expect(a.requests[1]?.headers['content-type']).toBeUndefined();
  });

  for (const status of [301, 302]) {
    it(`${status} turns a POST into a GET, and keeps a GET a GET`, async () => {
      handleA = (req, res) => (req.url?.startsWith('/from') ? redirect(res, status, '/to') : res.end('{}'));
      await client().post('/from', { body: { a: 1 } });
      await client().get('/from-get');
      expect(a.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
        'POST /from',
        'GET /to',
        'GET /from-get',
        'GET /to',
      ]);
    });
  }

  it('a 308 with a stream body is refused (the stream cannot be replayed)', async () => {
    handleA = (_req, res) => redirect(res, 308, '/again');
    async function* chunks() {
      yield 'one-shot';
    }
    const err = await client()
      .put('/upload', { body: chunks() })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RedirectError);
    expect(err).toMatchObject({ reason: 'stream-body', status: 308 });
    expect(a.requests).toHaveLength(1);
  });

  it('stops after maxRedirects hops', async () => {
    handleA = (_req, res) => redirect(res, 302, `/loop${a.requests.length}`);
    const err = await new Transport({ baseURL: a.url, maxRedirects: 3 }).get('/loop').catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'RedirectError', reason: 'too-many-redirects' });
    expect(a.requests).toHaveLength(4);
  });

  it('refuses a Location that is not http(s)', async () => {
    handleA = (_req, res) => redirect(res, 302, 'file:///etc/passwd');
    await expect(client().get('/x')).rejects.toMatchObject({ reason: 'invalid-location' });
  });

  it('hands back a 3xx without Location as it is (fetch does too)', async () => {
    handleA = (_req, res) => {
      res.writeHead(300, { 'content-type': 'application/json' });
      res.end('{"choices":[]}');
    };
    await expect(client().get('/m')).rejects.toMatchObject({ status: 300 });
  });
});

describe('cross-origin redirects never carry credentials or bodies', () => {
  for (const status of [301, 302, 303, 307, 308]) {
    it(`${status} GET to another origin drops every credential header`, async () => {
      handleA = (_req, res) => redirect(res, status, `${b.url}/landing?x=1`);
      const r = await client().get('/start', { headers: credentials });
      expect(r.data).toEqual({ at: 'b' });
      const got = b.requests[0]?.headers ?? {};
      for (const name of [
        'authorization',
        'cookie',
        'proxy-authorization',
        'x-adm-auth-session',
        'x-api-key',
        'x-custom-credential-holder',
        'x-my-auth',
      ]) {
        expect(got[name], name).toBeUndefined();
      }
      expect(JSON.stringify(got)).not.toContain('SECRET');
      // What is not a credential still goes.
      expect(got['x-server-protocol-version']).toBe('3');
      expect(got['user-agent']).toMatch(/^schoolmdm\//);
    });
  }

  for (const status of [307, 308]) {
    it(`${status} POST with a body to another origin throws RedirectError and sends nothing there`, async () => {
      handleA = (_req, res) => redirect(res, status, `${b.url}/steal`);
      const err = await client()
        .post('/devices', {
          body: { accessToken: new SecretValue('SECRET_MOSYLE'), options: {} },
          headers: credentials,
        })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RedirectError);
      expect(err).toMatchObject({ reason: 'cross-origin-body', status });
      expect(String(err)).not.toContain('SECRET');
      expect(b.requests).toHaveLength(0);
    });
  }

  for (const status of [301, 302, 303]) {
    it(`${status} POST to another origin is followed as a GET without body or credentials`, async () => {
      handleA = (_req, res) => redirect(res, status, `${b.url}/done`);
      await client().post('/devices', { body: { accessToken: 'SECRET_MOSYLE' }, headers: credentials });
      expect(b.requests).toHaveLength(1);
      expect(b.requests[0]).toMatchObject({ method: 'GET', url: '/done', body: '' });
      expect(JSON.stringify(b.requests[0]?.headers)).not.toContain('SECRET');
    });
  }

  it('a redirect back to the first origin after leaving it stays without credentials', async () => {
    handleA = (req, res) => (req.url === '/start' ? redirect(res, 302, `${b.url}/bounce`) : res.end('{}'));
    handleB = (_req, res) => redirect(res, 302, `${a.url}/end`);
    await client().get('/start', { headers: credentials });
    expect(a.requests[1]?.url).toBe('/end');
    expect(JSON.stringify(a.requests[1]?.headers)).not.toContain('SECRET');
  });
});

describe('redirects under msw (redirect: manual hands the 3xx to the transport)', () => {
  const msw = setupServer();
  const seen: { url: string; headers: Record<string, string>; body: string }[] = [];
  beforeAll(() => msw.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => msw.close());
  beforeEach(() => {
    seen.length = 0;
    msw.resetHandlers();
  });
  const record = async (request: Request) => {
    const headers: Record<string, string> = {};
    request.headers.forEach((v, k) => {
      headers[k] = v;
    });
    seen.push({ url: request.url, headers, body: await request.text() });
  };

  it('follows a same-origin 302 and strips credentials on a cross-origin one', async () => {
    msw.use(
      http.get('https://one.test/a', async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 302, headers: { location: '/b' } });
      }),
      http.get('https://one.test/b', async ({ request }) => {
        await record(request);
        return new HttpResponse(null, { status: 302, headers: { location: 'https://two.test/c' } });
      }),
      http.get('https://two.test/c', async ({ request }) => {
        await record(request);
        return HttpResponse.json({ ok: true });
      }),
    );
    const t = new Transport({ baseURL: 'https://one.test', secretHeaders: ['x-my-auth'] });
    const r = await t.get('/a', { headers: credentials });
    expect(r.data).toEqual({ ok: true });
    expect(seen.map((s) => s.url)).toEqual(['https://one.test/a', 'https://one.test/b', 'https://two.test/c']);
    expect(seen[1]?.headers.authorization).toBe('Bearer SECRET_AUTH');
    expect(JSON.stringify(seen[2]?.headers)).not.toContain('SECRET');
  });

  it('refuses a cross-origin 307 POST with a body', async () => {
    msw.use(
      http.post(
        'https://one.test/p',
        () => new HttpResponse(null, { status: 307, headers: { location: 'https://two.test/p' } }),
      ),
      http.post('https://two.test/p', async ({ request }) => {
        await record(request);
        return HttpResponse.json({});
      }),
    );
    const t = new Transport({ baseURL: 'https://one.test' });
    await expect(t.post('/p', { body: { password: 'SECRET' } })).rejects.toBeInstanceOf(RedirectError);
    expect(seen).toHaveLength(0);
  });
});
