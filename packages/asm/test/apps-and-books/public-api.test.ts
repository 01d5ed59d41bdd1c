/** The issue's named exports, through the package entries a user imports. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as asm from '@schoolmdm/asm';
import * as testing from '@schoolmdm/asm/testing';
import { ApiError, SchoolMdmError } from '@schoolmdm/core';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('@schoolmdm/asm: Apps and Books exports', () => {
  it('exports the client, its errors and the catalogue', () => {
    for (const name of [
      'AppsAndBooksClient',
      'AppsAndBooksError',
      'TokenExpiredError',
      'InvalidTokenError',
      'TokenRevokedError',
      'AppsAndBooksRateLimitError',
      'NotEnoughLicensesError',
      'PageOutOfRangeError',
      'ListChangedError',
      'EventTimeoutError',
      'APPS_AND_BOOKS_ERRORS',
      'APPS_AND_BOOKS_DEFAULT_LIMITS',
    ]) {
      expect(asm, name).toHaveProperty(name);
    }
    expect(
      new asm.AppsAndBooksError({ status: 400, method: 'GET', url: 'https://x/y', errorNumber: 9602 }),
    ).toBeInstanceOf(ApiError);
    expect(new asm.ListChangedError('assignments', 1, '1', '2')).toBeInstanceOf(SchoolMdmError);
    expect(asm.APPS_AND_BOOKS_ERRORS[9709]?.message).toMatch(/licen/);
  });

  it('exports the simulator from ./testing, and the main entry never imports msw or ./testing', () => {
    expect(typeof testing.createAppsAndBooksSimulator).toBe('function');
    const dir = join(__dirname, '../../src/apps-and-books');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    for (const f of files) {
      const text = readFileSync(join(dir, f), 'utf8');
      expect(text, f).not.toMatch(/from ['"]msw|\/testing/);
    }
  });

  it('works end to end through the package entries', async () => {
    const sim = testing.createAppsAndBooksSimulator({
      assets: [{ adamId: '361309726', totalCount: 2 }],
      eventDelayMs: 0,
    });
    server.use(...sim.handlers);
    const client = new asm.AppsAndBooksClient({ token: sim.issueToken() });
    const plan = await client.planLicenses({ adamIds: ['361309726'], serialNumbers: ['A1', 'A2', 'A3'] });
    expect(plan).toMatchObject({ enough: false, missing: 1 });
    const eventId = await client.assets.associate({ assets: ['361309726'], serialNumbers: ['A1', 'A2', 'A3'] });
    const done = await client.events.waitUntilDone(eventId, { pollIntervalMs: 10 });
    expect(done.failedSerialNumbers).toHaveLength(plan.missing);
    await client.close();
  });
});
