/** No secret (private key, assertion, access token) in any printed object, log line or error. */
import { inspect } from 'node:util';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { account, MOSYLE_ID, makeClient, makeOrg } from '../support/fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

function printed(value: unknown): string {
  return [String(value), safeJson(value), inspect(value, { showHidden: true, depth: 10 })].join('\n');
}
function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return '';
  }
}

describe('secrets never printed', () => {
  it('client, errors and log lines hold no key, assertion or token', async () => {
    const org = makeOrg(3, { faults: [{ kind: 'unauthorized', path: '/v1/mdmServers', times: 2 }] });
    server.use(...org.sim.handlers);
    const lines: string[] = [];
    const logger = {
      error: (m: string, f?: unknown) => lines.push(m + safeJson(f)),
      warn: (m: string, f?: unknown) => lines.push(m + safeJson(f)),
      info: (m: string, f?: unknown) => lines.push(m + safeJson(f)),
      debug: (m: string, f?: unknown) => lines.push(m + safeJson(f)),
    };
    const secrets: string[] = [account.privateKeyPem.split('\n')[1] as string];
    server.events.on('request:start', async ({ request }) => {
      const auth = request.headers.get('authorization');
      if (auth) secrets.push(auth.replace('Bearer ', ''));
      if (request.url.includes('/oauth2/token'))
        secrets.push(new URLSearchParams(await request.clone().text()).get('client_assertion') ?? '');
    });
    const client = makeClient(org, { logger, logLevel: 'debug' });
    const error = await org.clock.run(client.mdmServers.list().toArray({ limit: 5 })).catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    await org.clock.run(client.activities.assignDevices({ serverId: MOSYLE_ID, serials: org.serials }));
    // A refused token request (wrong scope) and its error.
    const bad = makeClient(org, { scope: 'business.api', logger, logLevel: 'debug' });
    const tokenError = await org.clock.run(bad.orgDevices.get(org.serials[0] as string)).catch((e) => e);
    server.events.removeAllListeners();
    expect(secrets.filter(Boolean).length).toBeGreaterThan(2);
    const everything = [printed(client), printed(bad), printed(error), printed(tokenError), lines.join('\n')].join(
      '\n',
    );
    for (const s of secrets.filter((x) => x.length > 8)) expect(everything).not.toContain(s);
    expect(everything).not.toContain('PRIVATE KEY');
    expect(lines.length).toBeGreaterThan(3);
  });
});
