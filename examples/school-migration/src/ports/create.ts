/**
 * Builds the ports from the config: clients with credentials read from environment variables
 * or files (never flags), on the services' clock, with every HTTP call counted per service.
 */
import { AsmClient } from '@schoolmdm/asm';
import { Cfgutil } from '@schoolmdm/configurator';
import { MosyleClient } from '@schoolmdm/mosyle';
import type { Clock } from '../clock.js';
import { type LoadedConfig, readCredential } from '../config/load.js';
import { asmPort } from './asm-adapter.js';
import { configuratorPort } from './configurator-adapter.js';
import { mosylePort } from './mosyle-adapter.js';
import { retryReads } from './retry-reads.js';
import type { Ports } from './types.js';

type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A `fetch` that counts calls under `name`. */
function counted(name: string, calls: Record<string, number>): FetchLike {
  return (input, init) => {
    calls[name] = (calls[name] ?? 0) + 1;
    return globalThis.fetch(input, init);
  };
}

/** Environment given to the cfgutil process (the simulated world's fake reads its URL there). */
export function cfgutilEnv(config: LoadedConfig, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const world = config.data.world?.url;
  return world ? { ...env, SCHOOLMDM_WORLD_URL: world } : env;
}

/**
 * The ports for this config. Credentials are read here, once, and handed to the clients; they
 * are never printed (each is a `Secret` until the client takes it).
 */
export function createPorts(config: LoadedConfig, clock: Clock, env: NodeJS.ProcessEnv = process.env): Ports {
  const c = config.data;
  const calls: Record<string, number> = {};
  const sleep = (ms: number, signal?: AbortSignal) => clock.sleep(ms, signal);
  const now = () => clock.now();
  let asm: AsmClient | undefined;
  let mosyle: MosyleClient | undefined;
  const asmClient = () => {
    asm ??= new AsmClient({
      clientId: readCredential(config, 'asm.clientId', c.asm.clientId, env).reveal(),
      keyId: readCredential(config, 'asm.keyId', c.asm.keyId, env).reveal(),
      privateKeyPem: readCredential(config, 'asm.privateKey', c.asm.privateKey, env).reveal(),
      ...(c.asm.baseURL ? { baseURL: c.asm.baseURL } : {}),
      ...(c.asm.tokenURL ? { tokenURL: c.asm.tokenURL } : {}),
      fetch: counted('asm', calls),
      now,
      sleep,
    });
    return asm;
  };
  const mosyleClient = () => {
    mosyle ??= new MosyleClient({
      accessToken: readCredential(config, 'mosyle.accessToken', c.mosyle.accessToken, env).reveal(),
      email: readCredential(config, 'mosyle.email', c.mosyle.email, env).reveal(),
      password: readCredential(config, 'mosyle.password', c.mosyle.password, env).reveal(),
      ...(c.mosyle.baseURL ? { baseURL: c.mosyle.baseURL } : {}),
      fetch: counted('mosyle', calls),
      now,
      sleep,
    });
    return mosyle;
  };
  // Clients are made on first use, so a command that needs no account never reads its credentials.
  const lazyAsm = lazy(() =>
    retryReads(asmPort(asmClient()), ['findServer', 'readDevices', 'waitForActivity', 'verify', 'checkAccess'], clock),
  );
  const lazyMosyle = lazy(() =>
    retryReads(
      mosylePort(mosyleClient()),
      ['findBySerial', 'confirmNames', 'sharedGroups', 'groupMembers', 'groupsWithMembers'],
      clock,
    ),
  );
  let cfgutilCalls = 0;
  const cfgutil = new Cfgutil({
    // A bare name is looked up on PATH; a path is relative to the config.
    binary: c.configurator.cfgutil.includes('/') ? config.path(c.configurator.cfgutil) : c.configurator.cfgutil,
    env: cfgutilEnv(config, env),
  });
  const configurator = configuratorPort(cfgutil);
  return {
    asm: lazyAsm,
    mosyle: lazyMosyle,
    configurator: {
      attached: () => {
        cfgutilCalls += 2;
        return configurator.attached();
      },
      prepare: (ecids) => {
        cfgutilCalls++;
        return configurator.prepare(ecids);
      },
    },
    now,
    sleep: (ms) => clock.sleep(ms),
    calls: () => ({ ...calls, cfgutil: cfgutilCalls }),
    async close() {
      await Promise.all([asm?.close(), mosyle?.close()]);
    },
  };
}

/** A proxy that builds the real object on its first method call. */
function lazy<T extends object>(make: () => T): T {
  let real: T | undefined;
  return new Proxy({} as T, {
    get(_t, key) {
      real ??= make();
      const v = (real as Record<PropertyKey, unknown>)[key];
      return typeof v === 'function' ? v.bind(real) : v;
    },
  });
}
