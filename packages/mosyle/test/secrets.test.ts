/** No access token, password or JWT in any error, log line or printed object. */
import { inspect } from 'node:util';
import { SecretValue } from '@schoolmdm/core';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collect, type Harness, harness, ipads } from './support/harness.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

const ACCESS = 'tok_LiveAccessToken_9f8e7d6c5b4a';
const PASSWORD = 'Pa55word!Horse-Battery';

function printed(x: unknown): string[] {
  const out = [inspect(x, { showHidden: true, depth: 10 }), String(x)];
  try {
    out.push(JSON.stringify(x) ?? '');
  } catch {
    // circular objects cannot be stringified; inspect covers them
  }
  return out;
}

describe('secrets', () => {
  let h: Harness;
  const lines: string[] = [];
  const logger = {
    error: (m: string, f?: unknown) => lines.push(`${m} ${inspect(f, { depth: 10 })}`),
    warn: (m: string, f?: unknown) => lines.push(`${m} ${inspect(f, { depth: 10 })}`),
    info: (m: string, f?: unknown) => lines.push(`${m} ${inspect(f, { depth: 10 })}`),
    debug: (m: string, f?: unknown) => lines.push(`${m} ${inspect(f, { depth: 10 })}`),
  };
  afterEach(async () => h.close());

  it('never shows up in errors, logs, results or the client', async () => {
    h = await harness(
      'msw',
      server,
      { devices: ipads(3), credentials: { accessToken: ACCESS, email: 'api@school.example', password: PASSWORD } },
      { logger, maxRetries: 1 },
    );
    const seen: unknown[] = [h.client, h.client.devices, h.client.commands];
    // Successful calls (JWT issued and sent).
    seen.push(await collect(h.client.devices.list({ os: 'ios' })));
    seen.push(await h.client.devices.update([{ serialNumber: 'DMP00001', name: 'x', tags: ['t'] }]));
    // Failures of every kind.
    h.sim.state.faults.push({ kind: 'unauthorized', path: '/listdevices' });
    seen.push(await collect(h.client.devices.list({ os: 'ios' })).catch((e: unknown) => e));
    h.sim.state.faults.length = 0;
    h.sim.state.faults.push({ kind: 'http-503', path: '/bulkops', times: 1 });
    seen.push(await h.client.commands.restart({ devices: ['U1'] }));
    h.sim.state.faults.push({ kind: 'inner-status', status: 'INVALID_DATA', path: '/users', times: 1 });
    seen.push(await h.client.users.delete(['u1']));
    h.sim.state.faults.push({ kind: 'network', path: '/listdevices', times: 5 });
    seen.push(await h.clock.run(collect(h.client.devices.list({ os: 'mac' })).catch((e: unknown) => e)));
    // Login failures: wrong password, wrong token.
    const badPassword = h.makeClient({ password: `${PASSWORD}-wrong`, logger });
    seen.push(await badPassword.login().catch((e: unknown) => e), badPassword, await badPassword.checkAccess());
    const badToken = h.makeClient({ accessToken: `${ACCESS}-old`, logger });
    seen.push(
      await collect(badToken.devices.list({ os: 'ios' })).catch((e: unknown) => e),
      await badToken.checkAccess(),
    );

    const jwts = h.sim.state.jwts.map((j) => j.token);
    expect(jwts.length).toBeGreaterThan(0);
    const secrets = [ACCESS, PASSWORD, ...jwts, ...jwts.map((j) => j.split('.')[2] as string)];
    const errors = seen.filter((x) => x instanceof Error);
    expect(errors.length).toBeGreaterThanOrEqual(4);
    const texts = [...lines, ...seen.flatMap(printed), ...errors.map((e) => (e as Error).stack ?? '')];
    expect(lines.length).toBeGreaterThan(10);
    for (const t of texts) for (const s of secrets) expect(t).not.toContain(s);
  });

  it('accepts the access token and password as SecretValues', async () => {
    h = await harness('msw', server, {
      devices: ipads(1),
      credentials: { accessToken: ACCESS, email: 'a@b.c', password: PASSWORD },
    });
    const client = h.makeClient({ accessToken: new SecretValue(ACCESS), password: new SecretValue(PASSWORD) });
    expect(await collect(client.devices.list({ os: 'ios' }))).toHaveLength(1);
    expect(inspect(client, { showHidden: true, depth: 10 })).not.toContain(ACCESS);
  });

  it('the simulator records request bodies with the access token and password redacted', async () => {
    h = await harness('msw', server, { credentials: { accessToken: ACCESS, email: 'a@b.c', password: PASSWORD } });
    await h.client.login();
    expect(JSON.stringify(h.sim.state.requests)).not.toContain(ACCESS);
    expect(JSON.stringify(h.sim.state.requests)).not.toContain(PASSWORD);
  });
});
