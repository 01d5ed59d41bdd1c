/**
 * Secrets never show: not in a ServerToken's string, JSON or inspect forms, and not in any error
 * thrown while decrypting (message, stack, JSON, inspect, causes), whatever went wrong.
 */

import { createPrivateKey } from 'node:crypto';
import { format, inspect } from 'node:util';
import { InvalidArgumentError } from '@schoolmdm/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptServerToken, ServerToken } from '../../src/index.js';
import {
  createTestRecipient,
  encryptEnvelopedData,
  encryptServerToken,
  type TestRecipient,
} from '../../src/testing/index.js';
import { catchError, corruptPadding, everythingShown, MESSAGE, SECRETS, TOKEN } from './helpers.js';

describe('ServerToken redaction', () => {
  const t = new ServerToken(TOKEN);

  it('keeps the secrets readable as properties', () => {
    expect([t.consumerSecret, t.accessToken, t.accessSecret]).toEqual(SECRETS);
    const { consumerKey, accessToken } = t;
    expect([consumerKey, accessToken]).toEqual([TOKEN.consumerKey, TOKEN.accessToken]);
  });

  it('shows consumerKey and the expiry but [REDACTED] for every secret in every printed form', () => {
    const forms = {
      string: String(t),
      template: `${t}`,
      concat: `token: ${t}`,
      json: JSON.stringify(t),
      jsonNested: JSON.stringify({ nested: { t } }),
      inspect: inspect(t),
      inspectHidden: inspect(t, { showHidden: true, depth: 10 }),
      inspectNested: inspect({ a: [{ t }] }, { showHidden: true, depth: 10 }),
      inspectNoCustom: inspect(t, { customInspect: false, showHidden: true, depth: 10 }),
      format: format('%s %o %O %j', t, t, t, t),
    };
    for (const [name, text] of Object.entries(forms)) {
      for (const s of SECRETS) expect(text, name).not.toContain(s);
    }
    for (const name of ['string', 'json', 'inspect', 'inspectHidden'] as const) {
      expect(forms[name], name).toContain(TOKEN.consumerKey);
      expect(forms[name], name).toContain('2026-01-17T11:02:21.000Z');
      expect(forms[name], name).toContain('[REDACTED]');
    }
    expect(JSON.parse(forms.json)).toEqual({
      consumerKey: TOKEN.consumerKey,
      consumerSecret: '[REDACTED]',
      accessToken: '[REDACTED]',
      accessSecret: '[REDACTED]',
      accessTokenExpiry: '2026-01-17T11:02:21.000Z',
    });
  });

  it('exposes no secret through keys, spreading, Object.entries or structuredClone', () => {
    expect(Object.keys(t)).toEqual(['consumerKey', 'accessTokenExpiry']);
    const copies = [JSON.stringify({ ...t }), JSON.stringify(Object.entries(t)), inspect(structuredClone(t))];
    for (const c of copies) for (const s of SECRETS) expect(c).not.toContain(s);
  });

  it('copies the expiry so callers cannot move it', () => {
    const expiry = new Date(TOKEN.accessTokenExpiry);
    const token = new ServerToken({ ...TOKEN, accessTokenExpiry: expiry });
    expiry.setTime(0);
    expect(token.accessTokenExpiry.toISOString()).toBe('2026-01-17T11:02:21.000Z');
  });

  it('validates its fields without echoing them', () => {
    expect(() => new ServerToken({ ...TOKEN, accessSecret: '' })).toThrow(InvalidArgumentError);
    expect(() => new ServerToken({ ...TOKEN, accessSecret: '' })).toThrow(
      /Invalid fields.accessSecret: expected a non-empty string/,
    );
    expect(() => new ServerToken({ ...TOKEN, accessTokenExpiry: new Date('nope') })).toThrow(/valid Date/);
    const e = catchError(() => new ServerToken({ ...TOKEN, consumerKey: 42 as unknown as string }));
    expect(e.message).toMatch(/Invalid fields.consumerKey: expected a non-empty string, got the number 42/);
    for (const s of SECRETS) expect(everythingShown(e)).not.toContain(s);
  });
});

describe('errors never carry key material or plaintext', () => {
  let mdm: TestRecipient;
  let other: TestRecipient;
  let keyBody: string[];

  beforeAll(() => {
    mdm = createTestRecipient();
    other = createTestRecipient();
    // Any 40-character slice of the key's Base64 must not appear anywhere.
    const lines = (pem: string) => pem.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----'));
    keyBody = [...lines(mdm.privateKeyPem), ...lines(mdm.privateKeyPkcs1Pem), ...lines(other.privateKeyPem)];
  });

  function failures(): Array<[string, () => unknown]> {
    const p7m = encryptServerToken({ token: TOKEN, recipientCertificatePem: mdm.certificatePem });
    const encrypted = createPrivateKey(mdm.privateKeyPem)
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pa55phrase-SECRET' })
      .toString();
    const withContent = (content: string | Uint8Array) =>
      encryptEnvelopedData({
        content: typeof content === 'string' ? new TextEncoder().encode(content) : content,
        recipientCertificatePem: mdm.certificatePem,
      });
    const json = JSON.parse(MESSAGE.slice(MESSAGE.indexOf('{'), MESSAGE.lastIndexOf('}') + 1)) as Record<
      string,
      string
    >;
    const { consumer_secret: _omit, ...withoutSecret } = json;
    return [
      ['wrong key', () => decryptServerToken(p7m, { privateKeyPem: other.privateKeyPem })],
      [
        'key not of certificate',
        () => decryptServerToken(p7m, { privateKeyPem: other.privateKeyPem, certificatePem: mdm.certificatePem }),
      ],
      [
        'recipient mismatch',
        () => decryptServerToken(p7m, { privateKeyPem: other.privateKeyPem, certificatePem: other.certificatePem }),
      ],
      ['missing passphrase', () => decryptServerToken(p7m, { privateKeyPem: encrypted })],
      ['wrong passphrase', () => decryptServerToken(p7m, { privateKeyPem: encrypted, passphrase: 'wrong-SECRET' })],
      ['damaged key', () => decryptServerToken(p7m, { privateKeyPem: mdm.privateKeyPem.replace(/[A-Z]{4}/, 'AAAA') })],
      ['bad padding', () => decryptServerToken(corruptPadding(Buffer.from(p7m)), { privateKeyPem: mdm.privateKeyPem })],
      [
        'field missing',
        () => decryptServerToken(withContent(JSON.stringify(withoutSecret)), { privateKeyPem: mdm.privateKeyPem }),
      ],
      [
        'not JSON',
        () => decryptServerToken(withContent(`{${SECRETS.join(',')}`), { privateKeyPem: mdm.privateKeyPem }),
      ],
      [
        'not UTF-8',
        () =>
          decryptServerToken(withContent(Uint8Array.of(0xff, 0xfe, ...Buffer.from(SECRETS[0]!))), {
            privateKeyPem: mdm.privateKeyPem,
          }),
      ],
      [
        'bad expiry',
        () =>
          decryptServerToken(withContent(JSON.stringify({ ...json, access_token_expiry: SECRETS[1] })), {
            privateKeyPem: mdm.privateKeyPem,
          }),
      ],
      [
        'expired',
        () =>
          decryptServerToken(p7m, {
            privateKeyPem: mdm.privateKeyPem,
            rejectExpired: true,
            now: new Date('2030-01-01'),
          }),
      ],
    ];
  }

  it('for every failure mode', () => {
    for (const [name, run] of failures()) {
      const error = catchError(run);
      const shown = everythingShown(error);
      for (const s of [...SECRETS, 'pa55phrase-SECRET', 'wrong-SECRET', ...keyBody]) {
        expect(shown.includes(s), `${name} leaks ${s.slice(0, 12)}…`).toBe(false);
      }
    }
  });
});
