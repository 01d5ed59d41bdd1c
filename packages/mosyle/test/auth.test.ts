/**
 * The JWT manager: header parsing, refresh before 24 h or `exp`, single-flight under
 * concurrency, one re-login on 401 (HTTP and inner status), `Expires` ignored.
 */
import { AbortError, ApiError } from '@schoolmdm/core';
import { MosyleError } from '@schoolmdm/mosyle';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { jwtExpiry } from '../src/internal/auth.js';
import { collect, type Harness, harness, ipads } from './support/harness.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const HOUR = 3_600_000;
const logins = (h: Harness) => h.sim.state.requests.filter((r) => r.path === '/login').length;

describe('auth', () => {
  let h: Harness;
  afterEach(async () => h.close());

  it('reads the JWT from the Authorization response header (whitespace stripped) and sends it as Bearer', async () => {
    h = await harness('msw', server, { devices: ipads(1) });
    await collect(h.client.devices.list({ os: 'ios' }));
    expect(h.sim.state.jwts).toHaveLength(1);
    // The simulator sends "Bearer  <jwt> ": the simulator accepted the exact token afterwards.
    const list = h.sim.state.requests.filter((r) => r.path === '/listdevices');
    expect(list.length).toBeGreaterThan(0);
    expect(h.client.loginCount).toBe(1);
  });

  it('never reads Expires (1981): the token is reused for later calls', async () => {
    h = await harness('msw', server, { devices: ipads(1) });
    for (let i = 0; i < 5; i++) await collect(h.client.devices.list({ os: 'ios' }));
    expect(logins(h)).toBe(1);
  });

  it('refreshes before 24 h when the JWT has no exp', async () => {
    h = await harness('msw', server, { devices: ipads(1), quirks: { jwtExp: false } });
    await collect(h.client.devices.list({ os: 'ios' }));
    const first = h.client.tokenExpiresAt?.getTime() ?? 0;
    expect(first - h.clock.now).toBe(24 * HOUR);
    h.clock.now += 23 * HOUR;
    await collect(h.client.devices.list({ os: 'ios' }));
    expect(logins(h)).toBe(1);
    // Inside the 5-minute refresh margin: a new login before the server would refuse it.
    h.clock.now += HOUR - 4 * 60_000;
    await collect(h.client.devices.list({ os: 'ios' }));
    expect(logins(h)).toBe(2);
    expect(h.sim.state.requests.filter((r) => r.path === '/listdevices').length).toBe(3);
  });

  it('honours a JWT exp shorter than 24 h', async () => {
    h = await harness('msw', server, { devices: ipads(1), jwtTtlMs: 2 * HOUR });
    await collect(h.client.devices.list({ os: 'ios' }));
    expect((h.client.tokenExpiresAt?.getTime() ?? 0) - h.clock.now).toBeLessThanOrEqual(2 * HOUR);
    h.clock.now += 2 * HOUR - 60_000;
    await collect(h.client.devices.list({ os: 'ios' }));
    expect(logins(h)).toBe(2);
    // Never a refused call: the refresh came first.
    expect(h.sim.state.jwts[0]?.expiresAt).toBeGreaterThan(
      h.sim.state.requests.filter((r) => r.path === '/listdevices')[0]?.at ?? 0,
    );
  });

  it('single-flight: 50 concurrent calls after expiry make one login', async () => {
    h = await harness('msw', server, { devices: ipads(3) }, { concurrency: 50 });
    const run = () => Promise.all(Array.from({ length: 50 }, () => collect(h.client.devices.list({ os: 'ios' }))));
    const results = await run();
    expect(results.every((r) => r.length === 3)).toBe(true);
    expect(logins(h)).toBe(1);
    h.clock.now += 25 * HOUR;
    await run();
    expect(logins(h)).toBe(2);
  });

  it('single-flight: a revoked JWT refused by 50 concurrent calls causes one re-login', async () => {
    h = await harness('msw', server, { devices: ipads(2) });
    await h.client.login();
    for (const j of h.sim.state.jwts) j.revoked = true;
    const results = await Promise.all(Array.from({ length: 50 }, () => collect(h.client.devices.list({ os: 'ios' }))));
    expect(results.every((r) => r.length === 2)).toBe(true);
    expect(logins(h)).toBe(2);
  });

  for (const unauthorizedAs of ['http-401', 'inner-status'] as const) {
    it(`logs in again once on ${unauthorizedAs} Unauthorized, then succeeds`, async () => {
      h = await harness('msw', server, { devices: ipads(1), quirks: { unauthorizedAs } });
      await h.client.login();
      h.sim.state.faults.push({ kind: 'unauthorized', path: '/listdevices', times: 1 });
      expect(await collect(h.client.devices.list({ os: 'ios' }))).toHaveLength(1);
      expect(logins(h)).toBe(2);
    });

    it(`does not loop when every call is ${unauthorizedAs} Unauthorized`, async () => {
      h = await harness('msw', server, { devices: ipads(1), quirks: { unauthorizedAs } });
      h.sim.state.faults.push({ kind: 'unauthorized', path: '/listdevices' });
      const error = await collect(h.client.devices.list({ os: 'ios' })).catch((e: unknown) => e);
      // Either way it carries Mosyle's code, so it is a MosyleError with status 401.
      expect(error).toBeInstanceOf(MosyleError);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toMatchObject({ status: 401, code: 'Unauthorized' });
      expect(logins(h)).toBe(2);
      expect(h.sim.state.requests.filter((r) => r.path === '/listdevices')).toHaveLength(2);
    });
  }

  it('a wrong access token is not "fixed" by logging in again', async () => {
    h = await harness('msw', server, { devices: ipads(1) });
    await h.client.login();
    h.sim.state.credentials.accessToken = 'renewed-token';
    const error = await collect(h.client.devices.list({ os: 'ios' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MosyleError);
    expect((error as MosyleError).code).toBe('Invalid accessToken');
    expect(logins(h)).toBe(1);
  });

  it('login without a JWT header is a MosyleError (LOGIN_NO_TOKEN)', async () => {
    h = await harness('msw', server);
    // A login answered without the Authorization header.
    server.use(http.post('*/v2/login', () => HttpResponse.json({ UserID: 'x', email: 'x' })));
    await expect(h.client.login()).rejects.toMatchObject({ name: 'MosyleError', code: 'LOGIN_NO_TOKEN', status: 401 });
  });

  it('a caller that aborts while waiting for the shared login does not fail the others', async () => {
    h = await harness('msw', server, { devices: ipads(1) });
    const controller = new AbortController();
    const first = collect(h.client.devices.list({ os: 'ios' }, { signal: controller.signal })).catch((e: unknown) => e);
    const second = collect(h.client.devices.list({ os: 'ios' }));
    controller.abort();
    expect(await first).toBeInstanceOf(AbortError);
    expect(await second).toHaveLength(1);
    expect(logins(h)).toBe(1);
  });

  it('jwtExpiry reads exp, and ignores tokens that are not JWTs', () => {
    const payload = Buffer.from(JSON.stringify({ exp: 1_900_000_000 })).toString('base64url');
    expect(jwtExpiry(`x.${payload}.y`)).toBe(1_900_000_000_000);
    expect(jwtExpiry('opaque-token')).toBeUndefined();
    expect(jwtExpiry('a.!!!.c')).toBeUndefined();
  });
});
