/**
 * The content token never appears in an error, a log line or a printed object: not the whole
 * file (the Bearer value), not the inner `token`, not even when Apple echoes it in a body.
 */
import { inspect } from 'node:util';
import { parseContentToken } from '@schoolmdm/certs';
import { VirtualClock } from '@schoolmdm/core/testing';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppsAndBooksClient } from '../../src/apps-and-books/index.js';
import { createAppsAndBooksSimulator } from '../../src/testing/apps-and-books/index.js';
import { KEYNOTE, librarySeed } from './support/fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Every printed form of `value`. */
function printed(value: unknown): string {
  const forms = [String(value), JSON.stringify(value) ?? '', inspect(value, { showHidden: true, depth: 10 })];
  if (value instanceof Error) forms.push(value.stack ?? '', value.message);
  return forms.join('\n');
}

describe('no token anywhere', () => {
  it('in errors, log lines and printed clients', async () => {
    const clock = new VirtualClock();
    const sim = createAppsAndBooksSimulator(librarySeed(), { now: clock.clock });
    server.use(...sim.handlers);
    const file = sim.issueToken({ orgName: 'Springfield Elementary' });
    const inner = (JSON.parse(Buffer.from(file, 'base64').toString('utf8')) as { token: string }).token;
    const secrets = [file, inner, file.slice(8, 40), inner.slice(4, 30)];

    const lines: string[] = [];
    const log = (message: string, fields?: unknown) => lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
    const logger = { error: log, warn: log, info: log, debug: log };
    const make = (token: unknown, extra: object = {}) =>
      new AppsAndBooksClient({
        token: token as string,
        now: clock.clock,
        sleep: clock.sleep,
        fetch: clock.fetch,
        logger,
        logLevel: 'debug',
        maxRetries: 1,
        ...extra,
      });
    const client = make(file);
    const fromCerts = make(parseContentToken(file));
    const errors: unknown[] = [];
    const attempt = async (p: () => Promise<unknown>) => {
      const e = await clock.run(p()).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(Error);
      errors.push(e);
    };

    await clock.run(client.assets.list().toArray({ limit: 10 })); // success lines logged too

    // Apple echoes the token in its message (inside an HTTP 200), then in a 401.
    sim.state.faults.push({ path: 'assets', errorNumber: 9622, errorMessage: `Invalid token ${file}`, status: 200 });
    await attempt(() => client.assets.list().toArray({ limit: 1 }));
    sim.state.faults.push({
      path: 'assignments',
      errorNumber: 9601,
      errorMessage: `token=${inner} rejected`,
      status: 401,
    });
    await attempt(() => client.assignments.list().toArray({ limit: 1 }));
    sim.state.faults.push({ path: 'status', errorNumber: 9646, times: 5 });
    await attempt(() => client.events.get('1'));
    await attempt(() => client.assets.associate({ assets: [KEYNOTE], serialNumbers: ['A', 'A'] }));
    // A body that does not match the schema: ResponseValidationError with an excerpt.
    server.use(http.get(`${sim.baseURL}/assignments`, () => Response.json({ assignments: [{ serialNumber: file }] })));
    await attempt(() => fromCerts.assignments.list().toArray({ limit: 1 }));
    server.resetHandlers(...sim.handlers);
    (sim.state.tokens[file] as { revoked?: boolean }).revoked = true;
    await attempt(() => fromCerts.assets.list().toArray({ limit: 1 }));
    delete sim.state.tokens[file];
    await attempt(() => client.assets.list().toArray({ limit: 1 }));
    clock.advance(400 * 86_400_000);
    await attempt(() => client.assets.list().toArray({ limit: 1 }));
    try {
      make(file);
    } catch (e) {
      errors.push(e);
    }

    expect(errors.map((e) => (e as Error).name)).toEqual([
      'InvalidTokenError',
      'AppsAndBooksError',
      'AppsAndBooksRateLimitError',
      'InvalidArgumentError',
      'ResponseValidationError',
      'TokenRevokedError',
      'InvalidTokenError',
      'TokenExpiredError',
      'TokenExpiredError',
    ]);
    expect(lines.length).toBeGreaterThan(10);
    const everything = [
      ...errors.map(printed),
      ...lines,
      printed(client),
      printed(fromCerts),
      printed(sim.state.requests),
    ].join('\n');
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(printed(errors[0])).toContain('[REDACTED]');
    expect(printed(client)).toContain('Springfield Elementary');
  });
});
