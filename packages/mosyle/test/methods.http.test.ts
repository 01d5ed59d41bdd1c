// The same suite over real sockets: the simulator served by core's startTestServer.
import { methodsSuite } from './support/methods.suite.js';

methodsSuite('http', () => undefined);
