import { setupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';
import { methodsSuite } from './support/methods.suite.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

methodsSuite('msw', () => server);
