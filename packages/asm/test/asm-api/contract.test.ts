/** The issue's named exports are a contract; the main entry never reaches msw. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AbortError } from '@schoolmdm/core';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as main from '../../src/index.js';
import * as testing from '../../src/testing/index.js';
import { MOSYLE_ID, makeClient, makeOrg } from '../support/fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

describe('public API', () => {
  it('exports the clients, errors and simulators the issue names', () => {
    for (const name of [
      'AsmClient',
      'DepClient',
      'ASM_API_BASE_URL',
      'DEVICE_ASSIGNMENT_BASE_URL',
      'APPS_AND_BOOKS_BASE_URL',
      'ASM_REQUEST_BUDGETS',
      'ActivityTimeoutError',
      'ActivityLogError',
      'DepTermsNotSignedError',
      'DepAccessDeniedError',
      'DepTokenExpiredError',
      'DepCursorError',
      'DepMalformedRequestError',
      'parseActivityLog',
      'checkMigrationDeadline',
    ]) {
      expect(main, name).toHaveProperty(name);
    }
    for (const name of [
      'createAsmSimulator',
      'createDepSimulator',
      'toTestServerHandler',
      'linkAsmToDep',
      'createAsmApiAccount',
      'makeSerials',
      'makeAsmDevices',
      'addDepDevice',
      'removeDepDevice',
    ]) {
      expect(testing, name).toHaveProperty(name);
    }
    expect(main.ASM_REQUEST_BUDGETS.asmApi).toEqual({
      get: { requests: 20, perMs: 60_000 },
      post: { requests: 10, perMs: 3_600_000 },
    });
  });

  it('no module outside src/testing imports msw', () => {
    const root = fileURLToPath(new URL('../../src/', import.meta.url));
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? (n === 'testing' ? [] : walk(p)) : [p];
      });
    const offenders = walk(root).filter((f) =>
      /from ['"]msw|testing\/index|\.\.\/testing\//.test(readFileSync(f, 'utf8')),
    );
    expect(offenders).toEqual([]);
  });
});

describe('abort', () => {
  it('waitUntilDone stops with AbortError when the signal aborts', async () => {
    const org = makeOrg(2, { config: { processingMs: 3_600_000 } });
    server.use(...org.sim.handlers);
    const client = makeClient(org);
    const { activities } = await org.clock.run(
      client.activities.assignDevices({ serverId: MOSYLE_ID, serials: org.serials }),
    );
    const controller = new AbortController();
    const waiting = client.activities.waitUntilDone(activities[0]?.id as string, {
      pollIntervalMs: 60_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(waiting).rejects.toBeInstanceOf(AbortError);
  });
});
