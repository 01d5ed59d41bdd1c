/**
 * `@schoolmdm/mosyle/testing`: a stateful simulator of the Mosyle Manager API as msw 2
 * handlers (needs `msw` ^2, an optional peer dependency), and an adapter that serves any msw
 * handlers from core's real local test server.
 *
 * @packageDocumentation
 */
export { toTestServerHandler } from './node.js';
export {
  createMosyleSimulator,
  type EnrollInput,
  type MosyleSimulator,
  type MosyleSimulatorOptions,
} from './simulator.js';
export {
  defaultQuirks,
  type MosyleSimSeed,
  type MosyleSimState,
  type SimAdminLog,
  type SimClass,
  type SimCommand,
  type SimDevice,
  type SimFault,
  type SimGroup,
  type SimJwt,
  type SimQuirks,
  type SimUser,
} from './state.js';
