/**
 * The state of the Device Assignment (DEP) simulator: one MDM server's view of Apple's device
 * assignment service. A plain object to seed, observe and share.
 */

/** A server token the simulator accepts (the four OAuth values, as `ServerToken` has them). */
export interface DepSimToken {
  consumerKey: string;
  consumerSecret: string;
  accessToken: string;
  accessSecret: string;
  /** Expiry, ms since the epoch; `/session` answers 401 `token_expired` after it. */
  expiresAt?: number;
}

/** A device assigned to the simulated MDM server (Apple's field names). */
export interface DepSimDevice {
  serial_number: string;
  model?: string;
  description?: string;
  color?: string;
  asset_tag?: string;
  device_family?: string;
  os?: string;
  profile_status?: 'empty' | 'assigned' | 'pushed' | 'removed';
  profile_uuid?: string;
  profile_assign_time?: string;
  profile_push_time?: string;
  device_assigned_by?: string;
  device_assigned_date?: string;
  /** Sent only with protocol ≥ 8. */
  mdm_migration_deadline?: string;
  [field: string]: unknown;
}

/** One entry of the change log `sync` reads. */
export interface DepSimChange {
  serial: string;
  op_type: 'added' | 'modified' | 'deleted';
  /** ms since the epoch. */
  at: number;
}

/** A request the simulator answered. */
export interface DepSimCall {
  at: number;
  method: string;
  path: string;
  status: number;
  /** The `X-Server-Protocol-Version` sent. */
  protocolVersion: string | null;
}

/** A fault for the next matching request(s). */
export interface DepSimFault {
  method?: string;
  path?: string | RegExp;
  /** `forbidden`: 403 `FORBIDDEN` (stale session); `unauthorized`: 401 `UNAUTHORIZED`. */
  kind: 'forbidden' | 'unauthorized' | 'server-error' | 'reset' | 'malformed';
  status?: number;
  times?: number;
}

/** Behaviour switches. */
export interface DepSimConfig {
  /** Session lifetime, ms. @defaultValue 30 minutes */
  sessionTtlMs: number;
  /** Rotate the session every N authenticated requests (0: never); the old one stops working. @defaultValue `0` */
  rotateSessionEvery: number;
  /** Repeat the last fetch cursor with `more_to_follow: true` instead of `EXHAUSTED_CURSOR` (nanodep#73). @defaultValue `false` */
  repeatCursorAtEnd: boolean;
  /** Serials answered `THROTTLED` (protocol ≥ 9) this many more times. */
  throttled: Map<string, number>;
  /** `retry_after_seconds` sent with throttled devices (protocol ≥ 10). @defaultValue `60` */
  retryAfterSeconds: number;
  /** Serials answered `FAILED` by profile assignment. */
  failing: Set<string>;
  /** `false`: every call answers 403 `T_C_NOT_SIGNED`. @defaultValue `true` */
  termsSigned: boolean;
  /** `true`: every call answers 403 `ACCESS_DENIED`. @defaultValue `false` */
  accessDenied: boolean;
  /** Emit every sync change twice (Apple may repeat a device). @defaultValue `false` */
  duplicateSyncChanges: boolean;
  /** Largest device list per request. @defaultValue `1000` */
  maxDevicesPerRequest: number;
  /** Largest page. @defaultValue `1000` */
  maxLimit: number;
  /** Cursor lifetime, ms. @defaultValue 7 days */
  cursorMaxAgeMs: number;
  /** Accepted clock skew of OAuth timestamps, s. @defaultValue `300` */
  timestampSkewSeconds: number;
}

/** The simulated service. */
export interface DepSimState {
  /** Clock, ms since the epoch. */
  now: () => number;
  /** Server tokens accepted by `/session`. */
  tokens: DepSimToken[];
  /** What `GET /account` returns. */
  account: Record<string, unknown>;
  /** Devices assigned to the server, by serial. */
  devices: Map<string, DepSimDevice>;
  /** Change log read by `/devices/sync` (append with `addDepDevice`/`removeDepDevice`). */
  changes: DepSimChange[];
  /** Profiles by UUID. */
  profiles: Map<string, Record<string, unknown>>;
  /** Live sessions: value → token consumer key, expiry, requests made. */
  sessions: Map<string, { consumerKey: string; expiresAt: number; requests: number }>;
  /** OAuth nonces seen (a reused nonce is refused). */
  nonces: Set<string>;
  /** Every request answered. */
  calls: DepSimCall[];
  /** Faults waiting for matching requests. */
  faults: DepSimFault[];
  /** Behaviour switches. */
  config: DepSimConfig;
}

/** What `createDepSimulator` accepts. */
export interface DepSimInit extends Partial<Omit<DepSimState, 'devices' | 'config'>> {
  devices?: Map<string, DepSimDevice> | DepSimDevice[];
  config?: Partial<DepSimConfig>;
}

/** Builds a full state from a partial one; every seeded device also gets an `added` change. */
export function toDepSimState(init: DepSimInit | DepSimState = {}): DepSimState {
  if (init.devices instanceof Map && init.config && 'sessionTtlMs' in init.config && 'cursorMaxAgeMs' in init.config) {
    return init as DepSimState;
  }
  const now = init.now ?? Date.now;
  const list = init.devices instanceof Map ? [...init.devices.values()] : (init.devices ?? []);
  const devices = new Map(
    list.map((d) => [
      d.serial_number.toUpperCase(),
      { profile_status: 'empty' as const, ...d, serial_number: d.serial_number.toUpperCase() },
    ]),
  );
  const changes =
    init.changes ?? [...devices.keys()].map((serial) => ({ serial, op_type: 'added' as const, at: now() }));
  return {
    now,
    tokens: init.tokens ?? [],
    account: init.account ?? {
      server_name: 'Mosyle Manager',
      server_uuid: '6c1d5f2e-0a6b-4d4e-9c3b-5b2f1e0d9a77',
      admin_id: 'admin@school.example',
      facilitator_id: 'admin@school.example',
      org_name: 'École du Parc',
      org_email: 'it@school.example',
      org_phone: '+32 2 000 00 00',
      org_address: 'Rue du Parc 1, 1000 Bruxelles',
      org_id: '1234567',
      org_id_hash: 'a1b2c3',
      org_type: 'edu',
      org_version: 'v2',
      urls: [
        { uri: '/server/devices', http_method: ['POST'], limit: { default: 100, maximum: 1000 } },
        { uri: '/devices/sync', http_method: ['POST'], limit: { default: 100, maximum: 1000 } },
      ],
    },
    devices,
    changes,
    profiles: init.profiles ?? new Map(),
    sessions: init.sessions ?? new Map(),
    nonces: init.nonces ?? new Set(),
    calls: init.calls ?? [],
    faults: init.faults ?? [],
    config: {
      sessionTtlMs: 30 * 60_000,
      rotateSessionEvery: 0,
      repeatCursorAtEnd: false,
      throttled: new Map(),
      retryAfterSeconds: 60,
      failing: new Set(),
      termsSigned: true,
      accessDenied: false,
      duplicateSyncChanges: false,
      maxDevicesPerRequest: 1000,
      maxLimit: 1000,
      cursorMaxAgeMs: 7 * 86_400_000,
      timestampSkewSeconds: 300,
      ...init.config,
    },
  };
}

/** Assigns a device to the simulated server (an `added` change for `sync`). */
export function addDepDevice(state: DepSimState, device: DepSimDevice): void {
  const serial = device.serial_number.toUpperCase();
  const existed = state.devices.has(serial);
  state.devices.set(serial, { profile_status: 'empty', ...device, serial_number: serial });
  state.changes.push({ serial, op_type: existed ? 'modified' : 'added', at: state.now() });
}

/** Removes a device from the simulated server (a `deleted` change for `sync`). */
export function removeDepDevice(state: DepSimState, serial: string): void {
  const s = serial.toUpperCase();
  if (state.devices.delete(s)) state.changes.push({ serial: s, op_type: 'deleted', at: state.now() });
}
