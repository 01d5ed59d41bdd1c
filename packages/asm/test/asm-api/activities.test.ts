import { ConflictError, InvalidArgumentError, RateLimitError } from '@schoolmdm/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ActivityLogError, ActivityTimeoutError, parseActivityLog } from '../../src/index.js';
import { apiCalls, CONFIGURATOR_ID, MOSYLE_ID, makeClient, makeOrg, OLD_MDM_ID } from '../support/fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

describe('activities', () => {
  it('chunks 2,500 serials into 3 activities of at most 1000, under the POST limit', async () => {
    const org = makeOrg(2500);
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const result = await org.clock.run(client.activities.assignDevices({ serverId: MOSYLE_ID, serials: org.serials }));
    expect(result.activities).toHaveLength(3);
    expect(result.failed).toEqual([]);
    expect(result.submitted).toHaveLength(2500);
    const sizes = [...org.sim.state.activities.values()].map((a) => a.serials.length).sort((a, b) => b - a);
    expect(sizes).toEqual([1000, 1000, 500]);
    expect(org.sim.state.calls.every((c) => c.status !== 429)).toBe(true);
  });

  it('sends the documented bodies for each activity type (mdmServer and metadata where required)', async () => {
    const org = makeOrg(3, {}, {});
    org.sim.state.devices.forEach((d) => {
      d.isMdmMigrationCapable = true;
    });
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const deadline = new Date(org.clock.now + 30 * 86_400_000);
    const serials = org.serials;
    await org.clock.run(client.activities.assignWithMigrationDeadline({ serverId: MOSYLE_ID, serials, deadline }));
    await org.clock.run(
      client.activities.updateMigrationDeadline({ serials, deadline: new Date(org.clock.now + 10 * 86_400_000) }),
    );
    await org.clock.run(client.activities.cancelMigration({ serials }));
    await org.clock.run(client.activities.unassignDevices({ serverId: CONFIGURATOR_ID, serials }));
    const acts = [...org.sim.state.activities.values()];
    expect(acts.map((a) => [a.activityType, a.serverId !== undefined, a.deadline !== undefined])).toEqual([
      ['ASSIGN_DEVICES_WITH_MDM_MIGRATION_DEADLINE', true, true],
      ['UPDATE_MDM_MIGRATION_DEADLINE', false, true],
      ['CANCEL_MDM_MIGRATION', false, false],
      ['UNASSIGN_DEVICES', true, false],
    ]);
    expect(acts[0]?.deadline).toBe(deadline.toISOString());
    // cancel reverted to the Configurator server, then unassign removed it
    expect([...org.sim.state.devices.values()].every((d) => d.serverId === undefined)).toBe(true);
    expect(org.sim.state.events.map((e) => e.type)).toEqual([
      ...Array(3).fill('device-assigned'),
      ...Array(3).fill('migration-deadline-updated'),
      ...Array(3).fill('migration-cancelled'),
      ...Array(3).fill('device-unassigned'),
    ]);
  });

  it('checks the deadline locally: in the future, at most 90 days; past only with allowPast', async () => {
    const org = makeOrg(1);
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const day = 86_400_000;
    const serials = org.serials;
    await expect(
      client.activities.assignWithMigrationDeadline({
        serverId: MOSYLE_ID,
        serials,
        deadline: new Date(org.clock.now + 91 * day),
      }),
    ).rejects.toThrow(/91 days ahead; Apple allows at most 90/);
    await expect(
      client.activities.assignWithMigrationDeadline({
        serverId: MOSYLE_ID,
        serials,
        deadline: new Date(org.clock.now - day),
      }),
    ).rejects.toThrow(/not in the future/);
    await expect(
      client.activities.assignWithMigrationDeadline({ serverId: MOSYLE_ID, serials, deadline: 'next week' }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(
      client.activities.updateMigrationDeadline({ serials, deadline: new Date(org.clock.now - day) }),
    ).rejects.toThrow(/allowPast/);
    const ok = await org.clock.run(
      client.activities.updateMigrationDeadline({ serials, deadline: new Date(org.clock.now - day), allowPast: true }),
    );
    expect(ok.activities).toHaveLength(1);
    expect(apiCalls(org, 'POST')).toHaveLength(1);
  });

  it('reports per batch: a bad server id (409) and invalid serials never throw the whole call', async () => {
    const org = makeOrg(2);
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const result = await org.clock.run(
      client.activities.assignDevices({ serverId: 'NOTASERVER', serials: [...org.serials, '3.5E+14'] }),
    );
    expect(result.activities).toEqual([]);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]?.error).toBeInstanceOf(ConflictError);
    expect(result.rejected).toEqual([expect.objectContaining({ input: '3.5E+14', code: 'scientific-notation' })]);
    await expect(client.activities.assignDevices({ serverId: '', serials: [] })).rejects.toThrow(/serverId/);
    await expect(client.activities.assignDevices({ serverId: MOSYLE_ID, serials: 'ABC' as never })).rejects.toThrow(
      /single string/,
    );
  });

  it('waitUntilDone polls on simulated time and times out with ActivityTimeoutError', async () => {
    const org = makeOrg(2, { config: { pollsBeforeDone: 3 } });
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const { activities } = await org.clock.run(
      client.activities.assignDevices({ serverId: MOSYLE_ID, serials: org.serials }),
    );
    const id = activities[0]?.id as string;
    const t0 = org.clock.now;
    const done = await org.clock.run(client.activities.waitUntilDone(id, { pollIntervalMs: 10_000 }));
    expect(done).toMatchObject({ status: 'COMPLETED', subStatus: 'COMPLETED_WITH_SUCCESS' });
    expect(org.clock.now - t0).toBe(30_000);
    const org2 = makeOrg(1, { config: { processingMs: 3_600_000 } });
    server.use(...org2.sim.handlers);
    const c2 = makeClient(org2);
    const { activities: a2 } = await org2.clock.run(
      c2.activities.assignDevices({ serverId: MOSYLE_ID, serials: org2.serials }),
    );
    const error = await org2.clock
      .run(c2.activities.waitUntilDone(a2[0]?.id as string, { pollIntervalMs: 60_000, timeoutMs: 300_000 }))
      .catch((e) => e);
    expect(error).toBeInstanceOf(ActivityTimeoutError);
    expect(error.lastStatus).toBe('IN_PROGRESS');
  });
});

describe('activity log', () => {
  it('is read from the presigned link without the Bearer token; per-serial failures are reported', async () => {
    const org = makeOrg(3);
    org.sim.state.devices.forEach((d, s) => {
      d.isMdmMigrationCapable = s !== org.serials[2];
    });
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const { activities } = await org.clock.run(
      client.activities.assignWithMigrationDeadline({
        serverId: MOSYLE_ID,
        serials: [...org.serials, 'UNKNOWN00001'],
        deadline: new Date(org.clock.now + 86_400_000),
      }),
    );
    const done = await org.clock.run(
      client.activities.waitUntilDone(activities[0]?.id as string, { pollIntervalMs: 1000 }),
    );
    expect(done.subStatus).toBe('COMPLETED_WITH_ERROR');
    const log = await org.clock.run(client.activities.log(done));
    expect(log.map((e) => [e.serial, e.succeeded])).toEqual([
      [org.serials[0], true],
      [org.serials[1], true],
      [org.serials[2], false],
    ]);
    expect(log[2]?.message).toMatch(/not eligible/);
    const download = org.sim.state.calls.filter((c) => c.kind === 'log');
    expect(download).toHaveLength(1);
    expect(download[0]?.authorization).toBe(false);
    // Apple silently dropped the unknown serial: not in the log at all.
    expect(log.some((e) => e.serial === 'UNKNOWN00001')).toBe(false);
  });

  it('re-reads the activity for a fresh link when the link has expired', async () => {
    const org = makeOrg(2, { config: { logLinkTtlMs: 60_000 } });
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const { activities } = await org.clock.run(
      client.activities.assignDevices({ serverId: MOSYLE_ID, serials: org.serials }),
    );
    const done = await org.clock.run(
      client.activities.waitUntilDone(activities[0]?.id as string, { pollIntervalMs: 1000 }),
    );
    org.clock.now += 5 * 60_000; // the link in `done` expired
    const log = await org.clock.run(client.activities.log(done));
    expect(log).toHaveLength(2);
    const logs = org.sim.state.calls.filter((c) => c.kind === 'log').map((c) => c.status);
    expect(logs).toEqual([403, 200]);
  });

  it('gives up with ActivityLogError when even fresh links fail, and when there is no link yet', async () => {
    const org = makeOrg(1, { config: { logLinkTtlMs: -1000, pollsBeforeDone: 0 } });
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const { activities } = await org.clock.run(
      client.activities.assignDevices({ serverId: MOSYLE_ID, serials: org.serials }),
    );
    const error = await org.clock.run(client.activities.log(activities[0]?.id as string)).catch((e) => e);
    expect(error).toBeInstanceOf(ActivityLogError);
    expect(error.problem).toBe('link-expired');
    expect(error.message).not.toMatch(/Signature=/);
    const org2 = makeOrg(1, { config: { processingMs: 60_000 } });
    server.use(...org2.sim.handlers);
    const c2 = makeClient(org2);
    const r = await org2.clock.run(c2.activities.assignDevices({ serverId: MOSYLE_ID, serials: org2.serials }));
    await expect(org2.clock.run(c2.activities.log(r.activities[0] as never))).rejects.toMatchObject({
      problem: 'not-available',
    });
  });

  it('parses columns by header name, leniently (BOM, semicolons, quotes, other names)', () => {
    const csv =
      '\uFEFF"Device Serial";"Result";"Reason"\r\n"dmpxk0aahp5q";"Success";""\r\nF9FXK0AAHP5Q;FAILED;"Device not found; check ""serial"""\r\n\r\n';
    expect(parseActivityLog(csv, 'A')).toEqual([
      {
        serial: 'DMPXK0AAHP5Q',
        status: 'Success',
        succeeded: true,
        message: undefined,
        row: { 'Device Serial': 'dmpxk0aahp5q', Result: 'Success', Reason: '' },
      },
      {
        serial: 'F9FXK0AAHP5Q',
        status: 'FAILED',
        succeeded: false,
        message: 'Device not found; check "serial"',
        row: expect.any(Object),
      },
    ]);
    expect(parseActivityLog('serialNumber\nABCDEFGH1234\n', 'A')[0]).toMatchObject({
      serial: 'ABCDEFGH1234',
      status: undefined,
      succeeded: undefined,
    });
    expect(() => parseActivityLog('Device,Outcome\nX,Y\n', 'A')).toThrow(/no column names the serial number/);
    expect(parseActivityLog('', 'A')).toEqual([]);
  });
});

describe('rate limits on a virtual clock', () => {
  it('spaces 30 GETs so that no 60 s window holds more than 20, without a single 429', async () => {
    const org = makeOrg(30);
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const t0 = org.clock.now;
    const all = Promise.all(org.serials.map((s) => client.orgDevices.get(s)));
    await org.clock.run(all);
    const gets = apiCalls(org, 'GET');
    expect(gets).toHaveLength(30);
    expect(gets.every((c) => c.status === 200)).toBe(true);
    for (const c of gets)
      expect(gets.filter((x) => x.at > c.at - 60_000 && x.at <= c.at).length).toBeLessThanOrEqual(20);
    expect(org.clock.now - t0).toBeGreaterThanOrEqual(60_000);
  });

  it('spaces 12 activity POSTs across the hour (10 POST/h)', async () => {
    const org = makeOrg(12);
    server.use(...org.sim.handlers);
    const client = makeClient(org, { maxDevicesPerActivity: 1 });
    const t0 = org.clock.now;
    const result = await org.clock.run(client.activities.assignDevices({ serverId: MOSYLE_ID, serials: org.serials }));
    expect(result.activities).toHaveLength(12);
    const posts = apiCalls(org, 'POST');
    // The 11th waited outside the transport (postMaxWaitMs) and left with a fresh token: no 401, no 429.
    expect(posts.map((c) => c.status)).toEqual(Array(12).fill(201));
    expect(posts.slice(0, 10).every((c) => c.at === t0)).toBe(true);
    expect((posts[10]?.at ?? 0) - t0).toBeGreaterThanOrEqual(3_600_000);
    expect(client.tokenRequests).toBe(2);
    expect(posts.some((c) => c.status === 429)).toBe(false);
  });

  it('Apple’s own 429 with a long Retry-After becomes RateLimitError with retryAfterMs', async () => {
    const org = makeOrg(2, { faults: [{ kind: 'rate-limit', method: 'POST', retryAfterSeconds: 1800 }] });
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const result = await org.clock.run(client.activities.assignDevices({ serverId: MOSYLE_ID, serials: org.serials }));
    const error = result.failed[0]?.error as RateLimitError;
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error.retryAfterMs).toBe(1_800_000);
    // A short Retry-After on a GET is sat out and retried.
    org.sim.state.faults.push({ kind: 'rate-limit', method: 'GET', retryAfterSeconds: 5 });
    expect(await org.clock.run(client.orgDevices.get(org.serials[0] as string))).toBeDefined();
  });

  it('limits are overridable, and the simulator answers 429 + Retry-After to a client without limits', async () => {
    const org = makeOrg(25);
    server.use(...org.sim.handlers);
    const client = makeClient(org, { rateLimits: { get: false }, maxRetries: 0 });
    const results = await org.clock.run(Promise.allSettled(org.serials.map((s) => client.orgDevices.get(s))));
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(20);
    expect((refused[0] as PromiseRejectedResult).reason).toBeInstanceOf(RateLimitError);
    expect(org.sim.state.calls.find((c) => c.status === 429)).toBeDefined();
  });
});

describe('verifyAssignment', () => {
  it('never reads one device at a time: 2,500 serials cost a few paged reads', async () => {
    const org = makeOrg(2500);
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const half = org.serials.slice(0, 1250);
    const other = org.serials.slice(1250, 1260);
    const { activities } = await org.clock.run(client.activities.assignDevices({ serverId: MOSYLE_ID, serials: half }));
    for (const a of activities) await org.clock.run(client.activities.waitUntilDone(a.id, { pollIntervalMs: 1000 }));
    const before = apiCalls(org).length;
    const check = await org.clock.run(
      client.verifyAssignment({
        serverId: MOSYLE_ID,
        serials: [...half, ...other, 'NOTINORG0001'],
        rereadDelayMs: 1000,
        maxRereads: 1,
      }),
    );
    expect(check.byState.assigned).toHaveLength(1250);
    expect(check.byState['assigned-elsewhere']).toEqual(other);
    expect(check.byState['not-in-org']).toEqual(['NOTINORG0001']);
    const reads = apiCalls(org).slice(before);
    expect(reads.every((c) => !/\/orgDevices\/[A-Z0-9]+/.test(c.path))).toBe(true);
    // 2 pages of the server list, 3 of the org list, 2 more of the server list (one re-read)
    expect(reads).toHaveLength(7);
  });

  it('settles lagging reads with a bounded re-read; still-lagging serials are unknown', async () => {
    const org = makeOrg(10, { config: { readLagMs: 45_000 } });
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const since = new Date(org.clock.now);
    await org.clock.run(client.activities.assignDevices({ serverId: MOSYLE_ID, serials: org.serials }));
    const check = await org.clock.run(
      client.verifyAssignment({ serverId: MOSYLE_ID, serials: org.serials, since, rereadDelayMs: 30_000 }),
    );
    expect(check.byState.assigned).toHaveLength(10);
    expect(check.rereads).toBe(2);
    const org2 = makeOrg(4, { config: { readLagMs: 10 * 60_000 } });
    server.use(...org2.sim.handlers);
    const c2 = makeClient(org2);
    const since2 = new Date(org2.clock.now);
    await org2.clock.run(c2.activities.assignDevices({ serverId: MOSYLE_ID, serials: org2.serials }));
    const lagging = await org2.clock.run(
      c2.verifyAssignment({ serverId: MOSYLE_ID, serials: org2.serials, since: since2, rereadDelayMs: 30_000 }),
    );
    expect(lagging.byState.unknown).toEqual(org2.serials);
    expect(lagging.rereads).toBe(2);
    // Without `since`, a device on another server is assigned-elsewhere.
    const org3 = makeOrg(2);
    server.use(...org3.sim.handlers);
    const elsewhere = await org3.clock.run(
      makeClient(org3).verifyAssignment({ serverId: OLD_MDM_ID, serials: org3.serials, maxRereads: 0 }),
    );
    expect(elsewhere.byState['assigned-elsewhere']).toEqual(org3.serials);
  });
});

describe('planMigration', () => {
  const setup = (migrationFieldsParam: 'reject' | 'accept') => {
    const org = makeOrg(8, { config: { migrationFieldsParam } });
    const [a, b, c, d, e] = org.serials;
    const devices = org.sim.state.devices;
    (devices.get(a as string) as { isMdmMigrationCapable?: boolean }).isMdmMigrationCapable = true;
    (devices.get(b as string) as { isMdmMigrationCapable?: boolean }).isMdmMigrationCapable = true;
    (devices.get(c as string) as { isMdmMigrationCapable?: boolean }).isMdmMigrationCapable = false;
    (devices.get(d as string) as { serverId?: string }).serverId = MOSYLE_ID;
    (devices.get(e as string) as { isMdmMigrationCapable?: boolean }).isMdmMigrationCapable = true;
    return org;
  };

  for (const mode of ['reject', 'accept'] as const) {
    it(`sorts serials into the four categories (fields[] with migration attributes: ${mode})`, async () => {
      const org = setup(mode);
      server.use(...org.sim.handlers);
      const client = makeClient(org);
      const [a, b, c, d, e, f] = org.serials;
      const plan = await org.clock.run(
        client.planMigration({
          serverId: MOSYLE_ID,
          serials: [a, b, c, d, e, f, 'NOTINORG0001'] as string[],
          sharedIpadSerials: [e as string],
          deadline: new Date(org.clock.now + 7 * 86_400_000),
        }),
      );
      expect(plan.byCategory).toEqual({
        'not-in-org': ['NOTINORG0001'],
        'already-on-target': [d],
        'migration-capable': [a, b],
        'needs-erase': [c, e, f],
      });
      expect(plan.entries.find((x) => x.serial === c)?.reason).toBe('not-migration-capable');
      expect(plan.entries.find((x) => x.serial === e)?.reason).toBe('shared-ipad');
      expect(plan.entries.find((x) => x.serial === f)?.reason).toBe('capability-unknown');
      expect(plan.activitiesNeeded).toBe(2);
      const refused = org.sim.state.calls.filter((x) => x.status === 400);
      expect(refused).toHaveLength(mode === 'reject' ? 1 : 0);
      // a second plan remembers that fields[] was refused
      await org.clock.run(client.planMigration({ serverId: MOSYLE_ID, serials: [a as string] }));
      expect(org.sim.state.calls.filter((x) => x.status === 400)).toHaveLength(refused.length);
    });
  }

  it('refuses a deadline beyond 90 days before reading anything', async () => {
    const org = setup('reject');
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    await expect(
      client.planMigration({
        serverId: MOSYLE_ID,
        serials: org.serials,
        deadline: new Date(org.clock.now + 100 * 86_400_000),
      }),
    ).rejects.toThrow(/at most 90/);
    expect(apiCalls(org)).toHaveLength(0);
  });
});
