/** The tests use the virtual clock that `@schoolmdm/core/testing` exports. */
export { VirtualClock } from '../../src/testing/virtual-clock.js';
