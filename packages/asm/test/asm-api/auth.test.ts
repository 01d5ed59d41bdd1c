import { generateKeyPairSync } from 'node:crypto';
import { AuthenticationError, BadRequestError, InvalidArgumentError } from '@schoolmdm/core';
import { decodeProtectedHeader, importSPKI, jwtVerify } from 'jose';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ASM_ASSERTION_AUDIENCE, AsmClient } from '../../src/index.js';
import { createAsmApiAccount } from '../../src/testing/index.js';
import { account, apiCalls, makeClient, makeOrg } from '../support/fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** The client assertions the token endpoint received. */
function assertions(captured: URLSearchParams[]): string[] {
  return captured.map((f) => f.get('client_assertion') ?? '');
}

function capture(_org: ReturnType<typeof makeOrg>): URLSearchParams[] {
  const forms: URLSearchParams[] = [];
  server.events.on('request:start', async ({ request }) => {
    if (request.url.includes('/auth/oauth2/token')) forms.push(new URLSearchParams(await request.clone().text()));
  });
  return forms;
}

describe('client assertion (checked with jose, an independent ES256 verifier)', () => {
  it('is an ES256 JWS with raw r||s, Apple audience, iss = sub = client id, unique jti, exp < 180 days', async () => {
    const org = makeOrg(3);
    server.use(...org.sim.handlers);
    const forms = capture(org);
    const client = makeClient(org);
    await org.clock.run(client.orgDevices.list().toArray({ limit: 10 }));
    const [jwt] = assertions(forms);
    expect(jwt).toBeTruthy();
    const key = await importSPKI(account.publicKeyPem, 'ES256');
    const { payload, protectedHeader } = await jwtVerify(jwt as string, key, {
      audience: ASM_ASSERTION_AUDIENCE,
      issuer: account.clientId,
      subject: account.clientId,
      currentDate: new Date(org.clock.now),
    });
    expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: account.keyId });
    expect(typeof payload.jti).toBe('string');
    expect((payload.exp as number) - (payload.iat as number)).toBeLessThan(180 * 86400);
    expect(Buffer.from((jwt as string).split('.')[2] as string, 'base64url')).toHaveLength(64);
    expect(forms[0]?.get('scope')).toBe('school.api');
    expect(forms[0]?.get('grant_type')).toBe('client_credentials');
    server.events.removeAllListeners();
  });

  it('reuses the assertion across token refreshes and rotates it before it expires', async () => {
    const org = makeOrg(3);
    server.use(...org.sim.handlers);
    const forms = capture(org);
    const client = makeClient(org, { assertionLifetimeMs: 10 * 3_600_000 });
    await org.clock.run(client.orgDevices.list().toArray({ limit: 1 }));
    org.clock.now += 3_600_000; // token expired: new token, same assertion
    await org.clock.run(client.orgDevices.list().toArray({ limit: 1 }));
    org.clock.now += 8 * 3_600_000; // within an hour of the assertion's expiry: new assertion
    await org.clock.run(client.orgDevices.list().toArray({ limit: 1 }));
    const jwts = assertions(forms);
    expect(jwts).toHaveLength(3);
    expect(jwts[0]).toBe(jwts[1]);
    expect(jwts[2]).not.toBe(jwts[1]);
    expect(decodeProtectedHeader(jwts[2] as string).kid).toBe(account.keyId);
    server.events.removeAllListeners();
  });

  it('derives business.api from a BUSINESSAPI. client id', () => {
    const biz = createAsmApiAccount({ business: true });
    const client = new AsmClient({ clientId: biz.clientId, keyId: biz.keyId, privateKeyPem: biz.privateKeyPem });
    expect(client.scope).toBe('business.api');
    expect(client.baseURL).toBe('https://api-business.apple.com/v1');
  });
});

describe('access token', () => {
  it('is fetched once for 20 concurrent calls (single-flight)', async () => {
    const org = makeOrg(5);
    server.use(...org.sim.handlers);
    const client = makeClient(org, { rateLimits: { get: false } });
    const all = Promise.all(Array.from({ length: 20 }, () => client.orgDevices.get(org.serials[0] as string)));
    const results = await org.clock.run(all);
    expect(results.every((d) => d?.serialNumber === org.serials[0])).toBe(true);
    expect(client.tokenRequests).toBe(1);
    expect(org.sim.state.calls.filter((c) => c.kind === 'token')).toHaveLength(1);
  });

  it('is refreshed early (before the last 20 % of its hour)', async () => {
    const org = makeOrg(2);
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    await org.clock.run(client.orgDevices.get(org.serials[0] as string));
    org.clock.now += 47 * 60_000;
    await org.clock.run(client.orgDevices.get(org.serials[0] as string));
    expect(client.tokenRequests).toBe(1);
    org.clock.now += 2 * 60_000; // 49 min: less than 12 min left
    await org.clock.run(client.orgDevices.get(org.serials[0] as string));
    expect(client.tokenRequests).toBe(2);
  });

  it('is refreshed once and the call replayed after a 401; 20 concurrent 401s cause one refresh', async () => {
    const org = makeOrg(5);
    server.use(...org.sim.handlers);
    const client = makeClient(org, { rateLimits: { get: false } });
    await org.clock.run(client.orgDevices.get(org.serials[0] as string));
    org.sim.state.tokens.clear(); // Apple revoked every token
    const all = Promise.all(Array.from({ length: 20 }, () => client.orgDevices.get(org.serials[1] as string)));
    const results = await org.clock.run(all);
    expect(results.every((d) => d?.id === org.serials[1])).toBe(true);
    expect(client.tokenRequests).toBe(2);
  });

  it('gives up after one replay when the API keeps answering 401', async () => {
    const org = makeOrg(2, { faults: [{ kind: 'unauthorized', path: '/orgDevices', times: 2 }] });
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const error = await org.clock.run(client.orgDevices.get(org.serials[0] as string)).catch((e) => e);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(apiCalls(org)).toHaveLength(2);
  });
});

describe('token endpoint refusals', () => {
  it('a wrong key (not the account’s) is refused with invalid_client and a hint', async () => {
    const org = makeOrg(1);
    server.use(...org.sim.handlers);
    const other = createAsmApiAccount();
    const client = makeClient(org, { privateKeyPem: other.privateKeyPem });
    const error = await org.clock.run(client.orgDevices.get(org.serials[0] as string)).catch((e) => e);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error.code).toBe('invalid_client');
    expect(error.message).toMatch(/key id/);
  });

  it('a wrong scope is refused with invalid_scope', async () => {
    const org = makeOrg(1);
    server.use(...org.sim.handlers);
    const client = makeClient(org, { scope: 'business.api' });
    const error = await org.clock.run(client.orgDevices.get(org.serials[0] as string)).catch((e) => e);
    expect(error.code).toBe('invalid_scope');
  });

  it('an expired assertion (client clock far behind) is refused; a wrong audience too', async () => {
    const org = makeOrg(1);
    server.use(...org.sim.handlers);
    const lateClock = { now: () => org.clock.now - 200 * 86_400_000 };
    const client = makeClient(org, { now: lateClock.now });
    const error = await org.clock.run(client.orgDevices.get(org.serials[0] as string)).catch((e) => e);
    expect(error.code).toBe('invalid_client');
    // Audience: the simulator checks it; an assertion made for another audience is refused.
    const forged = await signWithAudience('https://appleid.apple.com', org.clock.now);
    const res = await fetch('https://account.apple.com/auth/oauth2/token', {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: account.clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: forged,
        scope: 'school.api',
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'invalid_client', error_description: 'bad audience' });
  });
});

async function signWithAudience(aud: string, nowMs: number): Promise<string> {
  const { SignJWT, importPKCS8 } = await import('jose');
  const key = await importPKCS8(account.privateKeyPem, 'ES256');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: account.keyId })
    .setIssuer(account.clientId)
    .setSubject(account.clientId)
    .setAudience(aud)
    .setIssuedAt(Math.floor(nowMs / 1000))
    .setExpirationTime(Math.floor(nowMs / 1000) + 3600)
    .setJti('x')
    .sign(key);
}

describe('private key validation at construction', () => {
  const base = { clientId: account.clientId, keyId: account.keyId };
  it('refuses an RSA key, the wrong curve, an encrypted key without passphrase, garbage', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const enc = generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
      .privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' })
      .toString();
    const cases: [string, RegExp][] = [
      [rsa, /RSA key/],
      [p384, /P-256/],
      [enc, /encrypted and no passphrase/],
      ['not a key', /no "-----BEGIN/],
      [account.publicKeyPem, /public key, not a private key/],
    ];
    for (const [pem, message] of cases) {
      const error = (() => {
        try {
          new AsmClient({ ...base, privateKeyPem: pem });
        } catch (e) {
          return e;
        }
      })() as InvalidArgumentError;
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error.argument).toBe('privateKeyPem');
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('MII');
    }
    expect(() => new AsmClient({ ...base, privateKeyPem: enc, privateKeyPassphrase: 'wrong' })).toThrow(
      /wrong passphrase/,
    );
    expect(new AsmClient({ ...base, privateKeyPem: enc, privateKeyPassphrase: 'pw' }).scope).toBe('school.api');
  });

  it('refuses an unknown client id prefix without scope, and an assertion lifetime of 180 days', () => {
    expect(() => new AsmClient({ clientId: 'ABC', keyId: 'k', privateKeyPem: account.privateKeyPem })).toThrow(/scope/);
    expect(
      () => new AsmClient({ ...base, privateKeyPem: account.privateKeyPem, assertionLifetimeMs: 180 * 86_400_000 }),
    ).toThrow(/180 days/);
  });
});
