import { inspect } from 'node:util';
import { decryptServerToken } from '@schoolmdm/certs';
import { createTestRecipient, encryptServerToken } from '@schoolmdm/certs/testing';
import { ConnectionError, InvalidArgumentError } from '@schoolmdm/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DepAccessDeniedError,
  DepClient,
  DepCursorError,
  DepMalformedRequestError,
  DepTermsNotSignedError,
  DepTokenExpiredError,
} from '../../src/index.js';
import { addDepDevice, createDepSimulator, removeDepDevice } from '../../src/testing/index.js';
import { makeDepClient, makeDepOrg, TOKEN_FIELDS } from '../support/dep-fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const PROFILE = {
  profile_name: 'École du Parc',
  url: 'https://school.mosyle.com/enroll',
  is_supervised: true,
  is_mdm_removable: false,
  await_device_configured: true,
};

describe('session', () => {
  it('sends protocol version 10 and a User-Agent; adopts a rotated session without re-authenticating', async () => {
    const org = makeDepOrg(300, { config: { rotateSessionEvery: 2 } });
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org);
    const devices = await org.clock.run(dep.devices.fetch({ limit: 100 }).toArray({ limit: 1000 }));
    expect(devices).toHaveLength(300);
    await org.clock.run(dep.account());
    expect(dep.sessionRequests).toBe(1);
    expect(org.sim.state.calls.every((c) => c.status === 200)).toBe(true);
    expect(org.sim.state.calls.filter((c) => c.path !== '/session').every((c) => c.protocolVersion === '10')).toBe(
      true,
    );
  });

  it('re-authenticates once on 401 (expired session) and on 403 FORBIDDEN', async () => {
    const org = makeDepOrg(5, { config: { sessionTtlMs: 60_000 } });
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org);
    await org.clock.run(dep.account());
    org.clock.now += 120_000;
    await org.clock.run(dep.account());
    expect(dep.sessionRequests).toBe(2);
    org.sim.state.faults.push({ kind: 'forbidden', path: '/account' });
    await org.clock.run(dep.account());
    expect(dep.sessionRequests).toBe(3);
    org.sim.state.faults.push({ kind: 'unauthorized', path: '/account', times: 2 });
    await expect(org.clock.run(dep.account())).rejects.toMatchObject({ status: 401 });
  });

  it('single-flight: 10 concurrent calls share one GET /session', async () => {
    const org = makeDepOrg(5);
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org);
    await org.clock.run(Promise.all(Array.from({ length: 10 }, () => dep.account())));
    expect(dep.sessionRequests).toBe(1);
  });

  it('never retries T_C_NOT_SIGNED or ACCESS_DENIED, and says what to do', async () => {
    const org = makeDepOrg(1, { config: { termsSigned: false } });
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org);
    const tc = await org.clock.run(dep.account()).catch((e) => e);
    expect(tc).toBeInstanceOf(DepTermsNotSignedError);
    expect(tc.message).toMatch(/accept the new terms/);
    expect(org.sim.state.calls).toHaveLength(1);
    org.sim.state.config.termsSigned = true;
    org.sim.state.config.accessDenied = true;
    const denied = await org.clock.run(dep.account()).catch((e) => e);
    expect(denied).toBeInstanceOf(DepAccessDeniedError);
    expect(org.sim.state.calls).toHaveLength(2);
  });

  it('an expired server token is refused locally; Apple’s token_expired maps to the same error', async () => {
    const org = makeDepOrg(1);
    server.use(...org.sim.handlers);
    const expired = makeDepClient(org, {
      token: { ...TOKEN_FIELDS, accessTokenExpiry: new Date(org.clock.now - 1000) },
    });
    await expect(org.clock.run(expired.account())).rejects.toBeInstanceOf(DepTokenExpiredError);
    expect(org.sim.state.calls).toHaveLength(0);
    (org.sim.state.tokens[0] as { expiresAt?: number }).expiresAt = org.clock.now - 1;
    const noExpiry = makeDepClient(org, { token: { ...TOKEN_FIELDS } });
    await expect(org.clock.run(noExpiry.account())).rejects.toBeInstanceOf(DepTokenExpiredError);
  });

  it('a wrong secret fails the signature check with a hint', async () => {
    const org = makeDepOrg(1);
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org, { token: { ...TOKEN_FIELDS, accessSecret: 'AS_wrong' } });
    const error = await org.clock.run(dep.account()).catch((e) => e);
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/OAuth signature/);
  });

  it('works with a token decrypted by @schoolmdm/certs from an encrypted fixture', async () => {
    const org = makeDepOrg(3);
    server.use(...org.sim.handlers);
    const recipient = createTestRecipient();
    const p7m = encryptServerToken({
      token: { ...TOKEN_FIELDS, accessTokenExpiry: new Date(org.clock.now + 86_400_000) },
      recipientCertificatePem: recipient.certificatePem,
    });
    const token = decryptServerToken(p7m, { privateKeyPem: recipient.privateKeyPem });
    const dep = new DepClient({ token, now: org.clock.clock, sleep: org.clock.sleep });
    expect(await org.clock.run(dep.devices.fetch().toArray({ limit: 10 }))).toHaveLength(3);
  });
});

describe('devices', () => {
  it('stops on a repeated cursor even with more_to_follow: true (nanodep#73)', async () => {
    const org = makeDepOrg(150, { config: { repeatCursorAtEnd: true } });
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org);
    const cursors: string[] = [];
    const devices = await org.clock.run(
      dep.devices.fetch({ limit: 100, onCursor: (c) => void cursors.push(c) }).toArray({ limit: 10_000 }),
    );
    expect(devices).toHaveLength(150);
    expect(org.sim.state.calls.filter((c) => c.path === '/server/devices')).toHaveLength(3);
    expect(cursors[2]).toBe(cursors[1]);
  });

  it('a finished fetch cursor (EXHAUSTED_CURSOR) yields nothing; sync then reads the changes, de-duplicated', async () => {
    const org = makeDepOrg(20, { config: { duplicateSyncChanges: true } });
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org);
    let cursor = '';
    await org.clock.run(dep.devices.fetch({ onCursor: (c) => void (cursor = c) }).toArray({ limit: 100 }));
    expect(await org.clock.run(dep.devices.fetch({ cursor }).toArray({ limit: 100 }))).toEqual([]);
    org.clock.now += 1000;
    addDepDevice(org.sim.state, { serial_number: 'NEWIPAD00001', model: 'iPad' });
    removeDepDevice(org.sim.state, org.serials[0] as string);
    const changes = await org.clock.run(dep.devices.sync(cursor).toArray({ limit: 100 }));
    expect(changes.map((c) => [c.serial_number, c.op_type])).toEqual([
      ['NEWIPAD00001', 'added'],
      [org.serials[0], 'deleted'],
    ]);
  });

  it('an expired or invalid sync cursor throws DepCursorError, or refetches with onInvalidCursor', async () => {
    const org = makeDepOrg(5);
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org);
    let cursor = '';
    await org.clock.run(dep.devices.fetch({ onCursor: (c) => void (cursor = c) }).toArray({ limit: 100 }));
    org.clock.now += 8 * 86_400_000;
    const expired = await org.clock.run(dep.devices.sync(cursor).toArray({ limit: 100 })).catch((e) => e);
    expect(expired).toBeInstanceOf(DepCursorError);
    expect(expired.problem).toBe('expired');
    const invalid = await org.clock.run(dep.devices.sync('zz-not-a-cursor').toArray({ limit: 100 })).catch((e) => e);
    expect(invalid.problem).toBe('invalid');
    const again = await org.clock.run(dep.devices.sync(cursor, { onInvalidCursor: 'refetch' }).toArray({ limit: 100 }));
    expect(again.map((d) => d.serial_number)).toEqual(org.serials);
    expect(() => dep.devices.sync('')).toThrow(InvalidArgumentError);
  });

  it('details are chunked at 1000 serials; unknown serials come back NOT_ACCESSIBLE', async () => {
    const org = makeDepOrg(2100);
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org);
    const { devices, rejected } = await org.clock.run(dep.devices.details([...org.serials, 'UNKNOWN00001', 'x']));
    expect(Object.keys(devices)).toHaveLength(2101);
    expect(devices.UNKNOWN00001?.response_status).toBe('NOT_ACCESSIBLE');
    expect(rejected).toHaveLength(1);
    expect(org.sim.state.calls.filter((c) => c.path === '/devices')).toHaveLength(3);
  });

  it('disown only with allowDestructive: true', async () => {
    const org = makeDepOrg(2);
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org);
    await expect(dep.devices.disown(org.serials)).rejects.toThrow(/allowDestructive/);
    expect(org.sim.state.calls).toHaveLength(0);
    const r = await org.clock.run(dep.devices.disown([org.serials[0] as string], { allowDestructive: true }));
    expect(r.results).toEqual({ [org.serials[0] as string]: 'SUCCESS' });
    expect(org.sim.state.devices.size).toBe(1);
  });

  it('a reset POST /server/devices (read-only) is retried; a reset profile assignment is reported per batch', async () => {
    const org = makeDepOrg(3, { faults: [{ kind: 'reset', path: '/server/devices' }] });
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org);
    expect(await org.clock.run(dep.devices.fetch().toArray({ limit: 10 }))).toHaveLength(3);
    org.sim.state.faults.push({ kind: 'reset', path: '/profile/devices', times: 5 });
    await org.clock.run(dep.profiles.define(PROFILE));
    const uuid = [...org.sim.state.profiles.keys()][0] as string;
    const r = await org.clock.run(dep.profiles.assign(uuid, org.serials));
    expect(r.failed[0]?.error).toBeInstanceOf(ConnectionError);
  });
});

describe('profiles', () => {
  it('define, get, assign with per-serial THROTTLED / FAILED / NOT_ACCESSIBLE, remove', async () => {
    const org = makeDepOrg(6, {
      config: { throttled: new Map([['F9F000000000', 1]]), failing: new Set(['F9F000000001']), retryAfterSeconds: 90 },
    });
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org);
    const { profileUuid } = await org.clock.run(dep.profiles.define(PROFILE));
    expect((await org.clock.run(dep.profiles.get(profileUuid)))?.profile_name).toBe('École du Parc');
    expect(await org.clock.run(dep.profiles.get('00000000000000000000000000000000'))).toBeUndefined();
    const r = await org.clock.run(dep.profiles.assign(profileUuid, [...org.serials, 'UNKNOWN00001']));
    expect(r.throttled).toEqual(['F9F000000000']);
    expect(r.failedDevices).toEqual(['F9F000000001']);
    expect(r.notAccessible).toEqual(['UNKNOWN00001']);
    expect(r.succeeded).toHaveLength(4);
    expect(r.retryAfterSeconds).toBe(90);
    const removed = await org.clock.run(dep.profiles.remove(org.serials.slice(2)));
    expect(Object.values(removed.results).every((s) => s === 'SUCCESS')).toBe(true);
  });

  it('assignWithRetry retries only THROTTLED serials, after retry_after_seconds', async () => {
    const org = makeDepOrg(1200, {
      config: {
        throttled: new Map([
          ['F9F000000005', 2],
          ['F9F00000000A', 1],
        ]),
        failing: new Set(['F9F000000001']),
        retryAfterSeconds: 120,
      },
    });
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org);
    const { profileUuid } = await org.clock.run(dep.profiles.define(PROFILE));
    const t0 = org.clock.now;
    const r = await org.clock.run(dep.profiles.assignWithRetry(profileUuid, org.serials));
    expect(r.rounds).toBe(3);
    expect(r.throttled).toEqual([]);
    expect(r.failedDevices).toEqual(['F9F000000001']);
    expect(r.succeeded).toHaveLength(1199);
    expect(org.clock.now - t0).toBeGreaterThanOrEqual(240_000);
    const assigns = org.sim.state.calls.filter((c) => c.path === '/profile/devices');
    // round 1: two chunks of ≤1000; rounds 2 and 3: only the throttled serials
    expect(assigns).toHaveLength(4);
  });

  it('refuses an invalid profile locally with the Apple error it would cause', async () => {
    const org = makeDepOrg(1);
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org);
    await expect(dep.profiles.define({ ...PROFILE, is_supervised: false })).rejects.toThrow(/FLAGS_INVALID/);
    await expect(dep.profiles.define({ ...PROFILE, profile_name: '' })).rejects.toThrow(/CONFIG_NAME_REQUIRED/);
    await expect(dep.profiles.define({ ...PROFILE, url: '' })).rejects.toThrow(/CONFIG_URL_REQUIRED/);
    expect(org.sim.state.calls).toHaveLength(0);
  });

  it('maps MALFORMED_REQUEST_BODY to its class', async () => {
    const org = makeDepOrg(1);
    server.use(...org.sim.handlers);
    const dep = makeDepClient(org);
    const error = await org.clock
      .run(
        dep.profiles.assign('ABC', {
          [Symbol.iterator]: function* () {
            yield 'F9F000000000';
          },
        }),
      )
      .then((r) => r);
    expect(error.failed[0]?.error).toMatchObject({ code: 'PROFILE_NOT_FOUND' });
    const raw = await fetch('https://mdmenrollment.apple.com/profile/devices', {
      method: 'POST',
      headers: { 'user-agent': 'x', 'x-adm-auth-session': [...org.sim.state.sessions.keys()][0] as string },
      body: '{not json',
    });
    expect(await raw.text()).toBe('MALFORMED_REQUEST_BODY');
    expect(DepMalformedRequestError.name).toBe('DepMalformedRequestError');
  });
});

describe('secrets never printed', () => {
  it('client, errors and log lines hold no OAuth secret or session', async () => {
    const org = makeDepOrg(2, { config: { termsSigned: true } });
    server.use(...org.sim.handlers);
    const lines: string[] = [];
    const log = (m: string, f?: unknown) => lines.push(m + JSON.stringify(f));
    const dep = makeDepClient(org, { logger: { error: log, warn: log, info: log, debug: log } });
    await org.clock.run(dep.account());
    org.sim.state.faults.push({ kind: 'forbidden', path: '/account', times: 2 });
    const error = await org.clock.run(dep.account()).catch((e) => e);
    const sessions = [...org.sim.state.sessions.keys()];
    const printed = [
      String(dep),
      JSON.stringify(dep),
      inspect(dep, { showHidden: true, depth: 10 }),
      String(error),
      JSON.stringify(error),
      inspect(error, { showHidden: true, depth: 10 }),
      lines.join('\n'),
    ].join('\n');
    for (const s of [TOKEN_FIELDS.consumerSecret, TOKEN_FIELDS.accessSecret, TOKEN_FIELDS.accessToken, ...sessions])
      expect(printed).not.toContain(s);
    expect(lines.length).toBeGreaterThan(2);
    // a fresh simulator for the same state does not leak either
    expect(inspect(createDepSimulator().state)).not.toContain(TOKEN_FIELDS.accessSecret);
  });
});
