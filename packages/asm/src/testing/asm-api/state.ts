/**
 * The state of the Apple School Manager API simulator: a plain object a test or program can
 * seed, observe and share (the end-to-end runner links it to the Mosyle simulator through
 * {@link AsmSimState.listeners}).
 */
import { ORG_DEVICE_FIELDS } from '../../asm-api/schemas.js';

/** A device of the simulated organisation. */
export interface AsmSimDevice {
  /** Serial number (upper case); also the resource id. */
  serialNumber: string;
  /** The server the device is assigned to, `undefined` when unassigned (the truth; reads may lag). */
  serverId?: string;
  productFamily?: string;
  deviceModel?: string;
  productType?: string;
  color?: string;
  deviceCapacity?: string;
  purchaseSourceType?: string;
  purchaseSourceUid?: string;
  orderNumber?: string;
  addedToOrgDateTime?: string;
  /** Set when the device was released; released devices are not listed. */
  releasedFromOrgDateTime?: string;
  /** Apple's iOS 26 migration flag; `undefined` leaves the attribute out. */
  isMdmMigrationCapable?: boolean;
  mdmMigrationStatus?: 'REQUESTED' | 'STARTED' | 'SUCCESS' | 'FAILED';
  mdmMigrationDeadlineDateTime?: string;
  /** The server a pending migration came from (restored by `CANCEL_MDM_MIGRATION`). */
  migrationFromServerId?: string;
  /** Last change, ms since the epoch (`updatedDateTime`). */
  updatedAt: number;
  /** What reads show until `until` after a write (read lag). */
  lagged?: { serverId: string | undefined; updatedAt: number; until: number };
  /** AppleCare coverages returned by `/appleCareCoverage`. */
  appleCare?: Record<string, unknown>[];
  /** Extra attributes returned as they are (e.g. one Apple adds later). */
  extra?: Record<string, unknown>;
}

/** An MDM server of the simulated organisation. */
export interface AsmSimServer {
  /** 32 hex characters, like Apple's. */
  id: string;
  serverName: string;
  serverType: 'MDM' | 'APPLE_CONFIGURATOR' | 'APPLE_MDM' | (string & {});
  status?: string;
  defaultProductFamilies?: string[];
  createdDateTime?: string;
  updatedDateTime?: string;
}

/** An API account the token endpoint accepts. */
export interface AsmSimApiAccount {
  /** `SCHOOLAPI.<uuid>` or `BUSINESSAPI.<uuid>`. */
  clientId: string;
  /** The key id expected in the assertion's `kid`. */
  keyId: string;
  /** The public half of the account's EC P-256 key (PEM), to verify the assertion. */
  publicKeyPem: string;
}

/** One per-serial line of an activity's log. */
export interface AsmSimLogRow {
  serial: string;
  status: 'SUCCESS' | 'FAILED';
  message: string;
}

/** An activity the simulator created. */
export interface AsmSimActivity {
  id: string;
  activityType: string;
  serverId?: string;
  /** Serials as sent. */
  serials: string[];
  deadline?: string;
  createdAt: number;
  /** When its effect applies (`createdAt + config.processingMs`). */
  completesAt: number;
  /** GETs of the activity so far. */
  polls: number;
  /** Whether the effect was applied. */
  applied: boolean;
  /** Per-serial results once applied; unknown serials are dropped, as Apple does. */
  log: AsmSimLogRow[];
}

/** A request the simulator answered. */
export interface AsmSimCall {
  /** Simulated time, ms. */
  at: number;
  method: string;
  /** Path and query. */
  path: string;
  /** `api` (rate-limited API host), `token` (OAuth endpoint) or `log` (presigned CSV). */
  kind: 'api' | 'token' | 'log';
  status: number;
  /** Whether the request carried an `Authorization` header. */
  authorization: boolean;
}

/** What changed in the organisation; delivered to {@link AsmSimState.listeners} when an activity applies. */
export type AsmSimEvent =
  | {
      type: 'device-assigned';
      serial: string;
      serverId: string;
      serverName: string | undefined;
      previousServerId: string | undefined;
      activityId: string;
      /** Set for `ASSIGN_DEVICES_WITH_MDM_MIGRATION_DEADLINE`. */
      migrationDeadline?: string;
      at: number;
    }
  | { type: 'device-unassigned'; serial: string; serverId: string; activityId: string; at: number }
  | { type: 'migration-deadline-updated'; serial: string; deadline: string; activityId: string; at: number }
  | { type: 'migration-cancelled'; serial: string; serverId: string | undefined; activityId: string; at: number };

/** A fault to inject into the next matching request(s). */
export interface AsmSimFault {
  /** Only requests with this method. */
  method?: string;
  /** Only requests whose path (no query) starts with this string or matches this pattern. */
  path?: string | RegExp;
  /** What to answer. */
  kind: 'rate-limit' | 'server-error' | 'reset' | 'malformed' | 'unauthorized';
  /** Status for `server-error`. @defaultValue `503` */
  status?: number;
  /** `Retry-After` for `rate-limit` (and `server-error` when set), seconds. @defaultValue `60` for rate-limit */
  retryAfterSeconds?: number;
  /** How many requests it hits. @defaultValue `1` */
  times?: number;
}

/** Behaviour switches. */
export interface AsmSimConfig {
  /** How long reads keep showing the old assignment after a write, ms. @defaultValue `0` */
  readLagMs: number;
  /** GETs of an activity that still show IN_PROGRESS after its effect applied. @defaultValue `1` */
  pollsBeforeDone: number;
  /** Time from creation to effect, ms. @defaultValue `0` */
  processingMs: number;
  /** Lifetime of a presigned log link, ms. @defaultValue `300_000` */
  logLinkTtlMs: number;
  /** Access-token lifetime, s. @defaultValue `3600` */
  accessTokenTtlSeconds: number;
  /** Sliding-window limits of the API host; `false` for none. @defaultValue 20 GET/min, 10 POST/h */
  rateLimits: { get: { requests: number; perMs: number } | false; post: { requests: number; perMs: number } | false };
  /** Default page size. @defaultValue `100` */
  defaultPageSize: number;
  /** Whether `fields[orgDevices]` may name the migration attributes (UNCONFIRMED at Apple). @defaultValue `'reject'` */
  migrationFieldsParam: 'reject' | 'accept';
  /** Write `links.next` with Apple's documented malformed host. @defaultValue `true` */
  malformedNextLinks: boolean;
  /** Header names of the activity log CSV. @defaultValue `['Serial Number', 'Status', 'Error Message']` */
  logColumns: [serial: string, status: string, message: string];
  /** Where presigned log links point (`anyOrigin` simulators use the request's origin). */
  logBaseURL: string;
}

/** The whole simulated organisation. Seed it, observe it, share it. */
export interface AsmSimState {
  /** The simulator's clock, ms since the epoch: share it with the client for virtual time. */
  now: () => number;
  /** API accounts the token endpoint accepts. */
  accounts: AsmSimApiAccount[];
  /** MDM servers by id. */
  servers: Map<string, AsmSimServer>;
  /** Devices by serial number. */
  devices: Map<string, AsmSimDevice>;
  /** Activities by id. */
  activities: Map<string, AsmSimActivity>;
  /** Access tokens issued: value → client id and expiry (ms). */
  tokens: Map<string, { clientId: string; expiresAt: number }>;
  /** Every request answered, in order. */
  calls: AsmSimCall[];
  /** Every change applied, in order. */
  events: AsmSimEvent[];
  /**
   * Called synchronously with each event as it is applied. The end-to-end runner subscribes
   * here: a `device-assigned` event for the Mosyle server makes the device enrol in the
   * Mosyle simulator.
   */
  listeners: ((event: AsmSimEvent) => void)[];
  /** Faults waiting for matching requests (consumed in order). */
  faults: AsmSimFault[];
  /** Behaviour switches. */
  config: AsmSimConfig;
}

/** What `createAsmSimulator` accepts: any part of the state, devices and servers as lists or maps. */
export interface AsmSimInit extends Partial<Omit<AsmSimState, 'devices' | 'servers' | 'config'>> {
  devices?: Map<string, AsmSimDevice> | (Omit<AsmSimDevice, 'updatedAt'> & { updatedAt?: number })[];
  servers?: Map<string, AsmSimServer> | AsmSimServer[];
  config?: Partial<AsmSimConfig>;
}

/** The documented `fields[orgDevices]` values the simulator accepts. */
export const SIM_DEVICE_FIELDS: ReadonlySet<string> = new Set(ORG_DEVICE_FIELDS);

/** Builds a full state from a partial one (an existing full state is returned as is). */
export function toAsmSimState(init: AsmSimInit | AsmSimState = {}): AsmSimState {
  const now = init.now ?? Date.now;
  const devices =
    init.devices instanceof Map
      ? init.devices
      : new Map(
          (init.devices ?? []).map((d) => [
            d.serialNumber.toUpperCase(),
            { ...d, serialNumber: d.serialNumber.toUpperCase(), updatedAt: d.updatedAt ?? now() },
          ]),
        );
  const servers = init.servers instanceof Map ? init.servers : new Map((init.servers ?? []).map((s) => [s.id, s]));
  const state = init as AsmSimState;
  if (init.devices instanceof Map && init.servers instanceof Map && isFullConfig(init.config)) return state;
  return {
    now,
    accounts: init.accounts ?? [],
    servers,
    devices: devices as Map<string, AsmSimDevice>,
    activities: init.activities ?? new Map(),
    tokens: init.tokens ?? new Map(),
    calls: init.calls ?? [],
    events: init.events ?? [],
    listeners: init.listeners ?? [],
    faults: init.faults ?? [],
    config: {
      readLagMs: 0,
      pollsBeforeDone: 1,
      processingMs: 0,
      logLinkTtlMs: 300_000,
      accessTokenTtlSeconds: 3600,
      rateLimits: { get: { requests: 20, perMs: 60_000 }, post: { requests: 10, perMs: 3_600_000 } },
      defaultPageSize: 100,
      migrationFieldsParam: 'reject',
      malformedNextLinks: true,
      logColumns: ['Serial Number', 'Status', 'Error Message'],
      logBaseURL: 'https://asm-activity-logs.simulator.invalid',
      ...init.config,
    },
  };
}

function isFullConfig(config: Partial<AsmSimConfig> | undefined): config is AsmSimConfig {
  return config !== undefined && 'readLagMs' in config && 'logBaseURL' in config && 'rateLimits' in config;
}
