/** Our OAuth 1.0a signer against the independent `oauth-1.0a` npm package. */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import OAuth from 'oauth-1.0a';
import { describe, expect, it } from 'vitest';
import { oauth1Header, oauth1Parameters } from '../../src/index.js';

function peer(consumer: { key: string; secret: string }) {
  return new OAuth({
    consumer,
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
}

describe('OAuth 1.0a HMAC-SHA1 signature', () => {
  it('matches oauth-1.0a for Apple’s GET /session', () => {
    const input = {
      method: 'GET',
      url: 'https://mdmenrollment.apple.com/session',
      consumerKey: 'CK_abc',
      consumerSecret: 'CS_secret',
      token: 'AT_token',
      tokenSecret: 'AS_secret',
      timestamp: 1_790_000_000,
      nonce: 'f3b1c2d4e5',
    };
    const ours = oauth1Parameters(input);
    const theirs = peer({ key: input.consumerKey, secret: input.consumerSecret });
    const data = {
      oauth_consumer_key: input.consumerKey,
      oauth_nonce: input.nonce,
      oauth_signature_method: 'HMAC-SHA1',
      oauth_timestamp: input.timestamp,
      oauth_token: input.token,
      oauth_version: '1.0',
    };
    const expected = theirs.getSignature({ url: input.url, method: 'GET' }, input.tokenSecret, data);
    expect(ours.oauth_signature).toBe(expected);
    expect(oauth1Header(input)).toMatch(/^OAuth oauth_consumer_key="CK_abc", .*oauth_signature="[^"]+"/);
  });

  it('matches oauth-1.0a for arbitrary keys, secrets, nonces and query parameters', () => {
    const text = fc.string({ minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(
        text,
        text,
        text,
        text,
        fc.stringMatching(/^[0-9a-f]{4,16}$/),
        fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), fc.string({ maxLength: 10 }), { maxKeys: 3 }),
        (ck, cs, at, as, nonce, query) => {
          // %20 rather than URLSearchParams' "+": oauth-1.0a reads "+" literally, RFC 5849 as a space.
          const qs = Object.entries(query)
            .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
            .join('&');
          const url = new URL(`http://127.0.0.1:8080/session${qs ? `?${qs}` : ''}`);
          const input = {
            method: 'GET',
            url: url.href,
            consumerKey: ck,
            consumerSecret: cs,
            token: at,
            tokenSecret: as,
            timestamp: 1_790_000_000,
            nonce,
          };
          const ours = oauth1Parameters(input).oauth_signature;
          const expected = peer({ key: ck, secret: cs }).getSignature({ url: url.href, method: 'GET' }, as, {
            oauth_consumer_key: ck,
            oauth_nonce: nonce,
            oauth_signature_method: 'HMAC-SHA1',
            oauth_timestamp: 1_790_000_000,
            oauth_token: at,
            oauth_version: '1.0',
          });
          expect(ours).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
