/**
 * The simulator's state: a plain object a test can seed, observe and share (the end-to-end
 * runner links it to the Apple School Manager simulator by enrolling devices into it).
 * Every field is documented; times are ms since the epoch on the simulator's clock.
 */
import type { MosyleOs } from '../resources/device-model.js';

/** A device in the simulated Mosyle tenant. */
export interface SimDevice {
  /** UDID (`deviceudid`). */
  udid: string;
  /** Serial number (`null` for a user-enrolled device). */
  serialNumber: string | null;
  /** OS family; `/listdevices` lists one family per call. */
  os: MosyleOs;
  /** Visible device name (what `/listdevices` returns now). */
  name: string;
  /** Model identifier, e.g. `iPad13,18`. */
  model: string;
  /** Model name, e.g. `iPad (10th generation)`. */
  modelName: string;
  /** OS version. */
  osVersion: string;
  /** Visible asset tag (`''` for none). */
  assetTag: string;
  /** Visible tags. */
  tags: string[];
  /** Enrollment type, e.g. `DEP`, `DEP_SHARED` (contains `SHARED` for Shared iPads). */
  enrollmentType: string;
  /** Supervised: unsupervised devices may drop renames (see `quirks.dropUnsupervisedRenames`). */
  supervised: boolean;
  /** Last check-in (ms). */
  lastSeenAt: number;
  /** Assigned user's school id, or `null`. */
  userId: string | null;
  /** Whether lost mode is on. */
  lostMode: boolean;
  /** Location (limbo devices), or `null`. */
  location: string | null;
  /**
   * Changes accepted by `/devices` that the device has not reported yet: each becomes visible
   * at `visibleAt` (Mosyle collects device information about hourly). Applied in order.
   */
  pending: { visibleAt: number; name?: string; assetTag?: string; tags?: string[] }[];
  /** Extra columns returned as they are (strings), e.g. `{ wifi_mac_address: '…' }`. */
  extra: Record<string, string>;
}

/** A shared device group (cart) or a dynamic device group. */
export interface SimGroup {
  /** Group id (`idshareddevicegroup` or `id`). */
  id: string;
  /** Name. */
  name: string;
  /** OS family. */
  os: MosyleOs;
  /** Member UDIDs. */
  udids: string[];
}

/** A user. */
export interface SimUser {
  /** School id. */
  id: string;
  /** Name. */
  name: string;
  /** Listed type (`STUDENT`, `TEACHER`, `STAFF`…). */
  type: string;
  /** Email, or `''`. */
  email: string;
  /** Managed Apple ID, or `''`. */
  managedAppleId: string;
  /** Locations. */
  locations: { name: string; grade_level?: string }[];
  /** Serial numbers of assigned devices. */
  serialNumbers: string[];
}

/** A class. */
export interface SimClass {
  /** School id. */
  id: string;
  /** Course name. */
  courseName: string;
  /** Class name. */
  className: string;
  /** Location. */
  location: string;
  /** Teacher user id, or `''`. */
  teacherId: string;
  /** Student ids. */
  students: string[];
}

/** An admin log entry the simulator writes for every change. */
export interface SimAdminLog {
  /** When (ms). */
  at: number;
  /** Admin email. */
  user: string;
  /** What was done. */
  action: string;
}

/** A command sent through `/bulkops` or `/lostmode`. */
export interface SimCommand {
  /** Endpoint (`/bulkops` or `/lostmode`). */
  path: string;
  /** Operation, e.g. `wipe_devices`, `restart_devices`, `enable`. */
  operation: string;
  /** UDIDs found and targeted. */
  devices: string[];
  /** Group ids targeted. */
  groups: string[];
  /** Other fields of the element (options, message…). */
  params: Record<string, unknown>;
  /** When (ms). */
  at: number;
}

/** A JWT the simulator issued. */
export interface SimJwt {
  /** The token (a JWT: header.payload.signature). */
  token: string;
  /** Issued at (ms). */
  issuedAt: number;
  /** Refused from this time on (ms). */
  expiresAt: number;
  /** Refused at once when true (set it to simulate a revoked session). */
  revoked: boolean;
}

/**
 * A fault injected into the next matching requests. `times` counts down (omit it for every
 * request); `path` restricts it to one endpoint (e.g. `/listdevices`).
 */
export interface SimFault {
  /** Endpoint it applies to, e.g. `/login`; all when omitted. */
  path?: string;
  /** How many requests it hits; every matching request when omitted. */
  times?: number;
  /**
   * `http-500`/`http-503`: a server error; `http-429`: rate limited (`retryAfterSeconds`);
   * `network`: the connection fails; `unauthorized`: the JWT is refused (per
   * `quirks.unauthorizedAs`); `inner-status`: `200 {"status":"OK","response":{"status":<status>}}`;
   * `outer-status`: `200 {"status":<status>,"message":…}`; `html-404`: Mosyle's HTML 404 page.
   */
  kind:
    | 'http-500'
    | 'http-503'
    | 'http-429'
    | 'network'
    | 'unauthorized'
    | 'inner-status'
    | 'outer-status'
    | 'html-404';
  /** Status for `inner-status`/`outer-status`. @defaultValue `ERROR` */
  status?: string;
  /** Message or `info` sent with it. */
  info?: string;
  /** `Retry-After` of `http-429`, in seconds. */
  retryAfterSeconds?: number;
}

/** Mosyle's quirks, each switchable (seen in Mosyle's API docs and in public wrappers). */
export interface SimQuirks {
  /** `rows` as a string (`"1328"`, 2026 docs) or a number (2022 docs). @defaultValue `'string'` */
  rowsAs: 'string' | 'number';
  /** Listing envelope: `response` as an object or as an array holding one page. @defaultValue `'object'` for devices, users, classes; `'array'` for groups and logs */
  listEnvelope: 'object' | 'array' | 'documented';
  /**
   * First page number per endpoint. Defaults follow the docs: `/listdevices` 1 (its example
   * shows `page: 1`), `/listdevicegroups` 0, the others 1.
   */
  pageBase: Record<string, 0 | 1>;
  /**
   * What a 1-based endpoint answers for page 0: the same rows as page 1 (the overlap),
   * an empty page, or `INVALID_DATA`. @defaultValue `'same-as-one'`
   */
  pageZero: 'same-as-one' | 'empty' | 'invalid';
  /** Whether a page echoes its number (`page`). When page 0 is served as page 1 it echoes 1. @defaultValue true */
  echoPage: boolean;
  /** Rows per page: devices 100, others 50 (`page_size` 100 and 50 in the docs). */
  pageSize: Record<string, number>;
  /** Whether `options.page_size` is honoured (up to 1000). Unconfirmed on the real API. @defaultValue true */
  honorPageSize: boolean;
  /** Past the last page: `DEVICES_NOTFOUND` (true) or an empty list (false). @defaultValue true */
  notFoundPastEnd: boolean;
  /** A refused JWT answers HTTP 401 `Unauthorized` or `200 {"status":"OK","response":{"status":"Unauthorized"}}`. @defaultValue `'http-401'` */
  unauthorizedAs: 'http-401' | 'inner-status';
  /** The JWT carries an `exp` claim. @defaultValue true */
  jwtExp: boolean;
  /** Renames of unsupervised devices are accepted but never show (observed in the console). @defaultValue true */
  dropUnsupervisedRenames: boolean;
}

/** The whole simulated tenant. */
export interface MosyleSimState {
  /** What `/login` accepts. */
  credentials: { accessToken: string; email: string; password: string };
  /** `premium` has API access; `free` answers every call with "API not enabled" (HTTP 403). */
  plan: 'premium' | 'free';
  /** The token is "Restricted" and the caller's IP is not allowed (HTTP 403). */
  ipRestricted: boolean;
  /** JWT lifetime, in ms. @defaultValue 24 h */
  jwtTtlMs: number;
  /** Every JWT issued, oldest first (set `revoked` or `expiresAt` to test refresh). */
  jwts: SimJwt[];
  /** Devices, every OS family. Push a {@link SimDevice} (or call `enroll`) to enrol one. */
  devices: SimDevice[];
  /** Shared device groups (carts). Created here only: the API cannot create them. */
  sharedDeviceGroups: SimGroup[];
  /** Dynamic device groups. */
  deviceGroups: SimGroup[];
  /** Users. */
  users: SimUser[];
  /** Classes. */
  classes: SimClass[];
  /** Admin log entries (the simulator adds one per change). */
  adminLogs: SimAdminLog[];
  /** Commands sent (`/bulkops`, `/lostmode`). */
  commands: SimCommand[];
  /** Delay before a change from `/devices` shows in `/listdevices`, in ms. @defaultValue 0 */
  visibilityDelayMs: number;
  /** Switchable quirks. */
  quirks: SimQuirks;
  /** Faults to inject. */
  faults: SimFault[];
  /** Every request received: path, time and body (access token and password redacted). */
  requests: { path: string; at: number; body: unknown }[];
}

/** What `createMosyleSimulator` accepts: any part of the state (the rest gets defaults). */
export type MosyleSimSeed = Partial<Omit<MosyleSimState, 'quirks' | 'devices'>> & {
  quirks?: Partial<SimQuirks>;
  devices?: (Partial<SimDevice> & { serialNumber: string | null })[];
};

/** Default quirks. */
export function defaultQuirks(): SimQuirks {
  return {
    rowsAs: 'string',
    listEnvelope: 'documented',
    pageBase: {
      '/listdevices': 1,
      '/listdevicegroups': 0,
      '/listshareddevicegroups': 1,
      '/listusers': 1,
      '/listclasses': 1,
      '/adminlogs': 1,
    },
    pageZero: 'same-as-one',
    echoPage: true,
    pageSize: { '/listdevices': 100, default: 50 },
    honorPageSize: true,
    notFoundPastEnd: true,
    unauthorizedAs: 'http-401',
    jwtExp: true,
    dropUnsupervisedRenames: true,
  };
}

let udidCounter = 0;

/** A device with defaults for every field not given. */
export function makeDevice(seed: Partial<SimDevice> & { serialNumber: string | null }, now: number): SimDevice {
  udidCounter++;
  const serial = seed.serialNumber ?? null;
  return {
    udid:
      seed.udid ??
      `00008101-${(serial ?? `USER${udidCounter}`).padStart(12, '0').slice(-12)}${String(udidCounter).padStart(4, '0')}`,
    serialNumber: serial,
    os: seed.os ?? 'ios',
    name: seed.name ?? (serial ? `iPad ${serial}` : 'iPad'),
    model: seed.model ?? 'iPad13,18',
    modelName: seed.modelName ?? 'iPad (10th generation)',
    osVersion: seed.osVersion ?? '17.5.1',
    assetTag: seed.assetTag ?? '',
    tags: seed.tags ?? [],
    enrollmentType: seed.enrollmentType ?? 'DEP',
    supervised: seed.supervised ?? true,
    lastSeenAt: seed.lastSeenAt ?? now,
    userId: seed.userId ?? null,
    lostMode: seed.lostMode ?? false,
    location: seed.location ?? null,
    pending: seed.pending ?? [],
    extra: seed.extra ?? {},
  };
}

/**
 * Completes `seed` in place into a {@link MosyleSimState} and returns the same object, so a
 * state passed in stays shared with whoever passed it.
 */
export function fillState(seed: MosyleSimSeed, now: number): MosyleSimState {
  const s = seed as MosyleSimState;
  s.credentials ??= { accessToken: 'sim-access-token', email: 'api-admin@school.example', password: 'sim-password' };
  s.plan ??= 'premium';
  s.ipRestricted ??= false;
  s.jwtTtlMs ??= 24 * 60 * 60 * 1000;
  s.jwts ??= [];
  // In place, so that an array the caller holds stays the simulator's.
  const devices = (seed.devices ?? []) as (SimDevice | (Partial<SimDevice> & { serialNumber: string | null }))[];
  for (let i = 0; i < devices.length; i++) devices[i] = makeDevice(devices[i] as SimDevice, now);
  s.devices = devices as SimDevice[];
  s.sharedDeviceGroups ??= [];
  s.deviceGroups ??= [];
  s.users ??= [];
  s.classes ??= [];
  s.adminLogs ??= [];
  s.commands ??= [];
  s.visibilityDelayMs ??= 0;
  const q = defaultQuirks();
  s.quirks = {
    ...q,
    ...seed.quirks,
    pageBase: { ...q.pageBase, ...seed.quirks?.pageBase },
    pageSize: { ...q.pageSize, ...seed.quirks?.pageSize },
  };
  s.faults ??= [];
  s.requests ??= [];
  return s;
}
