/**
 * `SecretValue`: every printed form is `[REDACTED]`, only `reveal()` gives the text, the brand
 * works across copies, a class can extend it; and the transport sends it on the wire (headers
 * and JSON bodies, against a real server) while redacting it in logs and errors.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  isSecretValue,
  type LogFields,
  REDACTED,
  redact,
  revealSecret,
  SecretValue,
  Transport,
} from '../../src/index.js';
import { startTestServer, type TestServer, type TestServerHandler } from '../../src/testing/index.js';

const RAW = 'tok_5ECRET_value_123';

describe('SecretValue', () => {
  it('prints [REDACTED] in every form and reveals only on request', () => {
    const s = new SecretValue(RAW);
    const forms = [
      String(s),
      `${s}`,
      `${s}`.concat(''),
      JSON.stringify(s),
      JSON.stringify({ nested: { s } }),
      inspect(s),
      inspect({ s }, { showHidden: true, depth: 10 }),
      inspect(s, { showHidden: true, depth: 10, customInspect: false }),
      Object.keys(s).join(','),
      JSON.stringify({ ...s }),
      JSON.stringify(structuredClone({ s })),
      String(redact({ s })),
      JSON.stringify(redact({ anything: s })),
    ];
    for (const f of forms) expect(f).not.toContain(RAW);
    expect(String(s)).toBe(REDACTED);
    expect(JSON.stringify(s)).toBe(`"${REDACTED}"`);
    expect(redact({ anything: s })).toEqual({ anything: REDACTED });
    expect(s.reveal()).toBe(RAW);
    expect(revealSecret(s)).toBe(RAW);
    expect(revealSecret('plain')).toBe('plain');
  });

  it('from() wraps a string and keeps a SecretValue; non-strings are refused', () => {
    const s = new SecretValue(RAW);
    expect(SecretValue.from(s)).toBe(s);
    expect(SecretValue.from(RAW).reveal()).toBe(RAW);
    expect(() => new SecretValue(42 as unknown as string)).toThrow(InvalidArgumentError);
  });

  it('is recognised across copies of the package by its Symbol.for brand', () => {
    // What another copy's instance looks like: another class, same brand on its prototype.
    class Foreign {
      #raw = RAW;
      reveal() {
        return this.#raw;
      }
    }
    Object.defineProperty(Foreign.prototype, Symbol.for('@schoolmdm/core:SecretValue'), { value: true });
    const foreign = new Foreign();
    expect(isSecretValue(foreign)).toBe(true);
    expect(foreign instanceof SecretValue).toBe(true);
    expect(redact({ x: foreign })).toEqual({ x: REDACTED });
    expect(isSecretValue({ reveal: () => RAW })).toBe(false);
    expect({} instanceof SecretValue).toBe(false);
  });

  it('can be extended with a richer printed form that still hides the raw text', () => {
    class AccessToken extends SecretValue {
      constructor(
        raw: string,
        readonly expiresAt: Date,
      ) {
        super(raw);
      }
      override toString(): string {
        return `AccessToken(expiresAt=${this.expiresAt.toISOString()}, value=${REDACTED})`;
      }
    }
    const t = new AccessToken(RAW, new Date(0));
    expect(isSecretValue(t)).toBe(true);
    expect(t instanceof SecretValue).toBe(true);
    expect(t instanceof AccessToken).toBe(true);
    expect(new SecretValue(RAW) instanceof AccessToken).toBe(false);
    expect(t.reveal()).toBe(RAW);
    expect(String(t)).toContain('expiresAt=1970');
    expect(inspect(t, { showHidden: true, depth: 10 })).not.toContain(RAW);
    expect(JSON.stringify({ t })).not.toContain(RAW);
  });
});

describe('SecretValue through the transport (real server)', () => {
  let server: TestServer;
  let handler: TestServerHandler;
  beforeAll(async () => {
    server = await startTestServer((req, res) => handler(req, res));
  });
  afterAll(async () => {
    await server.close();
  });
  beforeEach(() => {
    server.requests.length = 0;
    handler = (_req, res) => res.end('{}');
  });

  it('reveals header and nested body secrets on the wire only', async () => {
    const lines: string[] = [];
    const log = (m: string, f?: LogFields) => lines.push(`${m} ${JSON.stringify(f)}`);
    const t = new Transport({
      baseURL: server.url,
      defaultHeaders: { authorization: new SecretValue(`Bearer ${RAW}`) },
      secretHeaders: ['X-ADM-Auth-Session'],
      logger: { debug: log, info: log, warn: log, error: log },
    });
    await t.post('/login', {
      body: {
        user: 'a',
        credentials: [{ password: new SecretValue('PW_5ECRET') }],
        top: new SecretValue('TOP_5ECRET'),
      },
      headers: [['x-adm-auth-session', 'SESSION_5ECRET']],
    });
    const req = server.requests[0];
    expect(req?.headers.authorization).toBe(`Bearer ${RAW}`);
    expect(req?.headers['x-adm-auth-session']).toBe('SESSION_5ECRET');
    expect(JSON.parse(req?.body ?? '')).toEqual({
      user: 'a',
      credentials: [{ password: 'PW_5ECRET' }],
      top: 'TOP_5ECRET',
    });
    expect(req?.headers['content-type']).toBe('application/json');
    const all = lines.join('\n');
    for (const s of [RAW, 'PW_5ECRET', 'TOP_5ECRET', 'SESSION_5ECRET']) expect(all).not.toContain(s);
    expect(lines.length).toBeGreaterThan(0);
    await t.close();
  });

  it('masks a secret the service echoes back in an error body', async () => {
    handler = (req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ message: `session ${req.headers['x-adm-auth-session']} is not valid` }));
    };
    const t = new Transport({ baseURL: server.url, secretHeaders: ['x-adm-auth-session'] });
    const err = await t
      .get('/me', { headers: { 'x-adm-auth-session': new SecretValue('ECHOED_5ECRET') } })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ status: 401 });
    const printed = [String(err), JSON.stringify(err), inspect(err, { showHidden: true, depth: 10 })].join('\n');
    expect(printed).not.toContain('ECHOED_5ECRET');
    expect(printed).toContain('is not valid');
    await t.close();
  });

  it('accepts a SecretValue as a whole body (sent as its text)', async () => {
    const t = new Transport({ baseURL: server.url });
    await t.post('/raw', { body: new SecretValue('grant_type=x&secret=BODY_5ECRET') });
    expect(server.requests[0]?.body).toBe('grant_type=x&secret=BODY_5ECRET');
    await t.close();
  });
});
