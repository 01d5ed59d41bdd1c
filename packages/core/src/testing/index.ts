/**
 * `@schoolmdm/core/testing`: msw helpers and a local HTTP server for testing code built on
 * the schoolmdm transport. Nothing here imports `msw` at run time: the helpers build plain
 * `Response`s (msw, an optional peer dependency `^2`, is needed only to register them as
 * handlers), so `startTestServer` and `VirtualClock` work without msw installed. The main entry never imports
 * this module.
 *
 * @packageDocumentation
 */
export {
  json,
  networkError,
  type PageSlice,
  type PaginatedOptions,
  paginated,
  type RateLimitedOptions,
  rateLimited,
  type ServerErrorOptions,
  sequence,
  serverError,
} from './msw.js';
export { type RecordedRequest, startTestServer, type TestServer, type TestServerHandler } from './server.js';
export { VirtualClock } from './virtual-clock.js';
