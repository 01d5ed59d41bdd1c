/**
 * `@schoolmdm/asm/testing`: stateful simulators of Apple's APIs as msw 2 handlers, usable with
 * msw's `setupServer` and, through `toTestServerHandler`, with core's `startTestServer`.
 * Needs `msw` (an optional peer dependency); the main entry never imports this module.
 *
 * @packageDocumentation
 */

export * from './apps-and-books/index.js';
export { createAsmApiAccount, makeAsmDevices, makeSerials, type TestAsmApiAccount } from './asm-api/accounts.js';
export { type AsmSimulator, type AsmSimulatorOptions, createAsmSimulator } from './asm-api/simulator.js';
export type {
  AsmSimActivity,
  AsmSimApiAccount,
  AsmSimCall,
  AsmSimConfig,
  AsmSimDevice,
  AsmSimEvent,
  AsmSimFault,
  AsmSimInit,
  AsmSimLogRow,
  AsmSimServer,
  AsmSimState,
} from './asm-api/state.js';
export { toTestServerHandler } from './bridge.js';
export { linkAsmToDep } from './dep/link.js';
export { createDepSimulator, type DepSimulator, type DepSimulatorOptions } from './dep/simulator.js';
export {
  addDepDevice,
  type DepSimCall,
  type DepSimChange,
  type DepSimConfig,
  type DepSimDevice,
  type DepSimFault,
  type DepSimInit,
  type DepSimState,
  type DepSimToken,
  removeDepDevice,
} from './dep/state.js';
