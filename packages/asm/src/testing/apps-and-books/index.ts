/** The Apps and Books simulator, re-exported by `@schoolmdm/asm/testing`. */
export { appleDate as formatAppleDate } from './engine.js';
export {
  type AppsAndBooksSimulator,
  type AppsAndBooksSimulatorOptions,
  createAppsAndBooksSimulator,
  type IssueTokenOptions,
} from './simulator.js';
export {
  type AppsAndBooksSimulatorSeed,
  type AppsAndBooksSimulatorState,
  createAppsAndBooksState,
  SIMULATED_DEFAULT_LIMITS as SIMULATED_APPS_AND_BOOKS_LIMITS,
  type SimulatedAsset,
  type SimulatedAssignment,
  type SimulatedEvent,
  type SimulatedEventFailure,
  type SimulatedFault,
  type SimulatedRequest,
  type SimulatedToken,
} from './state.js';
