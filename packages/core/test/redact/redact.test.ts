import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactExcerpt } from '../../src/redact/redact.js';

const JWT =
  'eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJzdWIiOiJTQ0hPT0xBUEkuMTIzIiwiYXVkIjoiaHR0cHM6Ly9hY2NvdW50LmFwcGxlLmNvbSJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ';
const PEM = `-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oxFEY5wFHeCroAoGCCqGSM49
AwEHoUQDQgAE7c3uZ/Zp0J2Kg0eNtbq0T9kY4Y2Q4e1fZs9H0QmJ8q6kX8S5v4Zq
-----END EC PRIVATE KEY-----`;

describe('redact(string)', () => {
  it.each([
    ['query parameter access_token', 'https://x.test/v1/a?access_token=SECRET1&limit=10', 'SECRET1'],
    ['query parameter client_assertion (a JWT)', `https://x.test/token?client_assertion=${JWT}&scope=school.api`, JWT],
    ['query parameter client_secret', 'https://x.test/t?client_secret=SECRET2', 'SECRET2'],
    ['form body password', 'email=a%40b.test&password=SECRET3&x=1', 'SECRET3'],
    ['JSON accessToken', '{"accessToken":"SECRET4","options":{"os":"ios"}}', 'SECRET4'],
    ['JSON access_token with spaces', '{ "access_token" : "SECRET5", "token_type": "Bearer" }', 'SECRET5'],
    ['JSON consumer_secret / access_secret', '{"consumer_secret":"SECRET6","access_secret":"SECRET7"}', 'SECRET6'],
    ['JSON value with escaped quotes', '{"password":"pa\\"SECRET8\\"ss"}', 'SECRET8'],
    ['escaped JSON inside a string', '"{\\"accessToken\\":\\"SECRET9\\",\\"x\\":1}"', 'SECRET9'],
    ['a value cut by an excerpt', '{"accessToken":"SECRET10', 'SECRET10'],
    ['Authorization header line', 'Authorization: Bearer SECRET11\r\nAccept: application/json', 'SECRET11'],
    [
      'OAuth 1.0a header line',
      'Authorization: OAuth oauth_consumer_key="CK_SECRET12", oauth_signature="sig"',
      'CK_SECRET12',
    ],
    ['Cookie header line', 'Cookie: PHPSESSID=SECRET13; other=1', 'SECRET13'],
    ['Set-Cookie header line', 'set-cookie: PHPSESSID=SECRET14; path=/; secure', 'SECRET14'],
    ['X-ADM-Auth-Session header line', 'X-ADM-Auth-Session: SECRET15', 'SECRET15'],
    ['bare Bearer credential', 'sent Bearer SECRET16 to the server', 'SECRET16'],
    ['bare Basic credential', 'Basic dXNlcjpTRUNSRVQxNw==', 'dXNlcjpTRUNSRVQxNw=='],
    ['a JWT anywhere', `the JWT is ${JWT} ok`, JWT],
    ['a JWT cut after two segments', `jwt ${JWT.split('.').slice(0, 2).join('.')}`, JWT.split('.')[1]!],
    ['a PEM private key', `key:\n${PEM}\ndone`, 'MHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oxFEY5wFHeCroAoGCCqGSM49'],
    ['an unterminated PEM block', PEM.slice(0, 120), 'MHcCAQEEIBkg4LVWM9nuwNSk3yBy'],
    [
      'the DEP token message block',
      '-----BEGIN MESSAGE-----\n{"consumer_key":"CK_SECRET18","access_token":"AT_1"}\n-----END MESSAGE-----',
      'CK_SECRET18',
    ],
    ['URL userinfo password', 'https://admin:SECRET19@mdm.example/v2', 'SECRET19'],
    ['plist password key', '<key>Password</key>\n<string>SECRET20</string>', 'SECRET20'],
    ['sToken (Apps and Books)', '{"sToken":"SECRET21"}', 'SECRET21'],
    ['auth_session_token (DEP)', '{"auth_session_token":"SECRET22"}', 'SECRET22'],
    ['api key header line', 'x-api-key: SECRET23', 'SECRET23'],
  ])('masks %s', (_name, input, secret) => {
    const out = redact(input);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it('keeps everything that is not secret', () => {
    expect(redact('https://api-school.apple.com/v1/orgDevices?limit=100&cursor=MDow')).toBe(
      'https://api-school.apple.com/v1/orgDevices?limit=100&cursor=MDow',
    );
    expect(redact('T_C_NOT_SIGNED')).toBe('T_C_NOT_SIGNED');
    expect(redact('{"serialNumber":"XABC123","status":"ASSIGNED"}')).toBe(
      '{"serialNumber":"XABC123","status":"ASSIGNED"}',
    );
    expect(redact('https://token.example.com:8443/v1?x=1')).toBe('https://token.example.com:8443/v1?x=1');
    expect(redact('<key>Name</key><string>Cart 1</string>')).toBe('<key>Name</key><string>Cart 1</string>');
  });

  it('keeps the shape of what it masks', () => {
    expect(redact('a?access_token=x&b=1')).toBe('a?access_token=[REDACTED]&b=1');
    expect(redact('{"accessToken":"x","n":1}')).toBe('{"accessToken":"[REDACTED]","n":1}');
    expect(redact('Authorization: Bearer x')).toBe('Authorization: [REDACTED]');
  });

  it('is idempotent', () => {
    const inputs = [
      `https://x/t?client_assertion=${JWT}&a=1`,
      '{"accessToken":"S","password":"P"}',
      `Authorization: Bearer x\n${PEM}`,
      'token: abc',
      'Bearer abc',
    ];
    for (const input of inputs) {
      const once = redact(input);
      expect(redact(once)).toBe(once);
    }
  });

  it('stays fast on a long base64 blob (no quadratic search)', () => {
    const blob = 'A'.repeat(200_000);
    expect(redact(blob)).toBe(blob);
  });
});

describe('redact(objects)', () => {
  it('masks secret-named fields at any depth and redacts every string', () => {
    const out = redact({
      accessToken: 'S1',
      email: 'admin@school.test',
      nested: { client_secret: 'S2', list: ['Bearer S3', { password: 'S4' }] },
      url: new URL('https://x.test/a?token=S5'),
    });
    const text = JSON.stringify(out);
    for (const s of ['S1', 'S2', 'S3', 'S4', 'S5']) expect(text).not.toMatch(new RegExp(`\\b${s}\\b`));
    expect(out).toMatchObject({ email: 'admin@school.test', nested: { list: ['Bearer [REDACTED]', {}] } });
  });

  it('masks secret headers of a Headers object', () => {
    const headers = new Headers({
      authorization: 'Bearer S1',
      cookie: 'a=S2',
      'set-cookie': 'PHPSESSID=S3',
      'x-adm-auth-session': 'S4',
      accept: 'application/json',
    });
    expect(redact(headers)).toEqual({
      accept: 'application/json',
      authorization: REDACTED,
      cookie: REDACTED,
      'set-cookie': REDACTED,
      'x-adm-auth-session': REDACTED,
    });
  });

  it('handles cycles, depth, binary data, errors and maps', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ a: 1, self: '[Circular]' });
    let deep: Record<string, unknown> = { leaf: true };
    for (let i = 0; i < 20; i++) deep = { next: deep };
    expect(JSON.stringify(redact(deep))).toContain('[Object]');
    expect(redact(new Uint8Array(4))).toBe('[binary 4 bytes]');
    expect(redact(new Error('token=S1'))).toEqual({ name: 'Error', message: 'token=[REDACTED]' });
    expect(
      redact(
        new Map([
          ['password', 'S'],
          ['os', 'ios'],
        ]),
      ),
    ).toEqual({ password: REDACTED, os: 'ios' });
    expect(redact(null)).toBeNull();
    expect(redact(42)).toBe(42);
  });
});

describe('redactExcerpt', () => {
  it('redacts before it truncates, so a cut cannot expose part of a secret', () => {
    const body = `${'x'.repeat(280)}{"accessToken":"SECRETSECRETSECRET"}`;
    const out = redactExcerpt(body, 300);
    expect(out).not.toContain('SECRET');
    expect(out.length).toBeLessThanOrEqual(300);
  });

  it('collapses whitespace and marks a cut', () => {
    expect(redactExcerpt('a\n\n  b', 300)).toBe('a b');
    expect(redactExcerpt('y'.repeat(500), 10)).toBe(`${'y'.repeat(9)}…`);
  });
});
