/**
 * Issue #8, defect 11 and the "tests that cannot fail" item: every secret-name word of the
 * list has its own test (each example name matches that word and no other, so dropping the
 * word fails it), every redaction gap the review found is covered, and a `cause` handed to
 * any public error constructor is replaced by a redacted copy.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  AbortError,
  ApiError,
  ConnectionError,
  InvalidArgumentError,
  isSecretName,
  REDACTED,
  RedirectError,
  ResponseTooLargeError,
  ResponseValidationError,
  redact,
  SchoolMdmError,
  TimeoutError,
} from '../../src/index.js';
import { SECRET_EXACT_NAMES, SECRET_NAME_FRAGMENTS } from '../../src/redact/patterns.js';

/** One name per word of the list, using that word and no other. */
const EXAMPLES: Record<(typeof SECRET_NAME_FRAGMENTS)[number], string[]> = {
  token: ['sToken', 'refresh_token'],
  secret: ['client_secret', 'consumerSecret'],
  'passw(?:or)?d': ['password', 'user_passwd'],
  passphrase: ['keyPassphrase', 'p12_passphrase'],
  assertion: ['client_assertion'],
  authorization: ['Authorization', 'x-authorization'],
  cookie: ['Set-Cookie', 'cookie'],
  'api[-_]?key': ['x-api-key', 'apiKey', 'api_key'],
  'private[-_]?key': ['privateKey', 'private_key', 'private-key'],
  'consumer[-_]?key': ['consumer_key', 'consumerKey'],
  'escrow[-_]?key': ['escrowKey', 'escrow_key'],
  signature: ['X-Amz-Signature', 'oauth_signature'],
  session: ['x-adm-auth-session', 'sessionId'],
  sessid: ['PHPSESSID', 'jsessid'],
  credential: ['X-Amz-Credential', 'credentials'],
};

describe('every secret-name word is needed (15 words)', () => {
  it('the list has the 15 words the examples cover', () => {
    expect([...SECRET_NAME_FRAGMENTS].sort()).toEqual(Object.keys(EXAMPLES).sort());
  });

  for (const [word, names] of Object.entries(EXAMPLES)) {
    for (const name of names) {
      it(`"${name}" is secret because of "${word}" alone`, () => {
        // Only this word (and no whole-name short word) matches: removing it from the list breaks this test.
        const others = SECRET_NAME_FRAGMENTS.filter((w) => w !== word && new RegExp(w, 'i').test(name));
        expect(others).toEqual([]);
        expect(new RegExp(`^(?:${SECRET_EXACT_NAMES.join('|')})$`, 'i').test(name.replace(/[^a-z0-9]/gi, ''))).toBe(
          false,
        );
        expect(isSecretName(name)).toBe(true);
        expect(redact({ [name]: 'S3CRET-VALUE' })).toEqual({ [name]: REDACTED });
        expect(redact(`https://x.test/p?${name}=S3CRET-VALUE&limit=5`)).toBe(
          `https://x.test/p?${name}=${REDACTED}&limit=5`,
        );
        expect(redact(`{"${name}":"S3CRET-VALUE","id":1}`)).toBe(`{"${name}":"${REDACTED}","id":1}`);
        expect(redact(new Headers({ [name]: 'S3CRET-VALUE' }))).toEqual({ [name.toLowerCase()]: REDACTED });
      });
    }
  }

  const LONGER: Record<(typeof SECRET_EXACT_NAMES)[number], string> = {
    auth: 'author',
    key: 'keyboard',
    pin: 'pinned',
    pass: 'passenger',
    jwt: 'jwtIssuerName',
    bearer: 'bearerFormat',
  };
  for (const short of SECRET_EXACT_NAMES) {
    it(`the whole name "${short}" is secret, a longer word containing it is not`, () => {
      expect(isSecretName(short)).toBe(true);
      expect(redact({ [short]: 'S3CRET-VALUE' })).toEqual({ [short]: REDACTED });
      expect(isSecretName(LONGER[short])).toBe(false);
    });
  }
});

describe('defect 11: the gaps the review found', () => {
  it.each([
    ['a secret in a URL path segment', 'https://x.test/v1/token/PATHSECRET123/devices', 'PATHSECRET123'],
    ['a session id path segment', 'https://x.test/api/sessions/SESSPATH42?x=1', 'SESSPATH42'],
    ['an OAuth ?code=', 'https://app.test/callback?code=AUTHCODE99&state=s', 'AUTHCODE99'],
    ['a sig= parameter', 'https://cdn.test/f.csv?sv=1&sig=SIGVALUE77', 'SIGVALUE77'],
    ['a presigned Signature=', 'https://logs.test/a.csv?Expires=1&Signature=PRESIGNED55&Key-Pair-Id=K', 'PRESIGNED55'],
    ['a secret key whose value is an object', '{"token":{"value":"OBJSECRET1"},"id":2}', 'OBJSECRET1'],
    ['a secret key whose value is an array', '{"tokens":["ARRSECRET1","ARRSECRET2"],"id":2}', 'ARRSECRET2'],
    ['nested objects and brackets inside strings', '{"credentials":{"a":{"b":"]}NESTSECRET"}},"ok":1}', 'NESTSECRET'],
    ['a newline before the colon', 'password\n: NEWLINESECRET', 'NEWLINESECRET'],
    ['a CRLF before the equals sign', 'api_key \r\n= CRLFSECRET', 'CRLFSECRET'],
    ['lower-case bearer in free text', 'sent bearer LOWERBEARER1 upstream', 'LOWERBEARER1'],
    ['upper-case BEARER', 'BEARER UPPERBEARER1', 'UPPERBEARER1'],
  ])('%s', (_name, text, secret) => {
    const out = redact(text);
    expect(out).not.toContain(secret);
    expect(out).toContain(REDACTED);
  });

  it('keeps what is not secret around a masked structure, and error codes in JSON bodies', () => {
    expect(redact('{"token":{"value":"X1"},"id":2}')).toBe(`{"token":"${REDACTED}","id":2}`);
    expect(redact('{"code":"NOT_FOUND","sig":"fig"}')).toContain('NOT_FOUND');
    expect(redact('https://x.test/v1/orgDevices/ABC123')).toBe('https://x.test/v1/orgDevices/ABC123');
    expect(redact('basic information')).toBe('basic information');
  });

  it('masks headers given as [name, value] pairs', () => {
    expect(
      redact([
        ['x-api-key', 'PAIRSECRET'],
        ['accept', 'application/json'],
      ]),
    ).toEqual([
      ['x-api-key', REDACTED],
      ['accept', 'application/json'],
    ]);
    expect(redact({ headers: [['Authorization', 'Token PAIR2']] })).toEqual({ headers: [['Authorization', REDACTED]] });
  });
});

describe('defect 11: every public error constructor sanitises its cause', () => {
  const secretCause = () =>
    Object.assign(new Error('failed for https://x.test/a?access_token=CAUSESECRET1'), {
      config: { headers: { authorization: 'Bearer CAUSESECRET2' } },
      cause: new Error('inner password=CAUSESECRET3'),
    });
  const target = { method: 'GET', url: 'https://x.test/a' };
  const build: [string, (cause: unknown) => SchoolMdmError][] = [
    ['SchoolMdmError', (cause) => new SchoolMdmError('x', { cause })],
    ['ConnectionError', (cause) => new ConnectionError(target, { code: 'ECONNRESET' }, { cause })],
    ['AbortError', (cause) => new AbortError(target, { cause })],
    ['TimeoutError', (cause) => new TimeoutError(target, 10, { cause })],
    ['ApiError.generate', (cause) => ApiError.generate({ status: 500, method: 'GET', url: target.url, cause })],
    ['InvalidArgumentError', (cause) => new InvalidArgumentError('x', 'bad', { cause })],
    ['ResponseValidationError', (cause) => new ResponseValidationError([], {}, { cause })],
    ['RedirectError', (cause) => new RedirectError(target, { status: 302, reason: 'invalid-location' }, { cause })],
    ['ResponseTooLargeError', (cause) => new ResponseTooLargeError(target, { maxBytes: 1 }, { cause })],
  ];
  for (const [name, make] of build) {
    it(name, () => {
      const raw = secretCause();
      const err = make(raw);
      expect(err.cause).not.toBe(raw);
      const printed = [
        inspect(err, { showHidden: true, depth: 10 }),
        String(err),
        JSON.stringify(err),
        err.stack ?? '',
        inspect(err.cause, { showHidden: true, depth: 10 }),
      ].join('\n');
      for (const s of ['CAUSESECRET1', 'CAUSESECRET2', 'CAUSESECRET3']) expect(printed).not.toContain(s);
      // The useful part survives.
      expect((err.cause as Error).message).toContain('access_token=[REDACTED]');
    });
  }

  it('a string or non-error cause becomes a redacted Error', () => {
    const err = new AbortError(target, { cause: 'stop Bearer STRINGSECRET' });
    expect(inspect(err, { showHidden: true, depth: 10 })).not.toContain('STRINGSECRET');
  });
});
