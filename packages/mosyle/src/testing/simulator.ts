/**
 * `createMosyleSimulator()`: a stateful simulation of the Mosyle Manager API v2 as msw 2
 * handlers, with the quirks of Mosyle's API docs (public copy: MacsInSpace/MDMKit `mosyle-api-docs/`): JWT in the `Authorization` response
 * header, `accessToken` required in every body, POST only, `rows` as a string, wrapped and
 * unwrapped envelopes, page 0 overlapping page 1, `DEVICES_NOTFOUND` past the end, failures
 * inside `status: "OK"` bodies, delayed visibility of renames, a plan without API access,
 * an IP-restricted token, and injectable faults.
 */
import { randomBytes } from 'node:crypto';
import { HttpResponse, http, type RequestHandler } from 'msw';
import type { MosyleOs } from '../resources/device-model.js';
import {
  fillState,
  type MosyleSimSeed,
  type MosyleSimState,
  makeDevice,
  type SimDevice,
  type SimGroup,
} from './state.js';

/** Options of {@link createMosyleSimulator}. */
export interface MosyleSimulatorOptions {
  /**
   * API root the handlers answer, e.g. `https://managerapi.mosyle.com/v2`. By default any
   * origin whose path starts with `/v2/` (so the same handlers serve msw and a local server).
   */
  baseURL?: string;
  /** The simulator's clock in ms (share it with the client's `now` for virtual time). @defaultValue `Date.now` */
  now?: () => number;
}

/** A device to enrol through {@link MosyleSimulator.enroll}. */
export type EnrollInput = Partial<SimDevice> & { serialNumber: string };

/** What {@link createMosyleSimulator} returns. */
export interface MosyleSimulator {
  /** msw 2 handlers: `setupServer(...sim.handlers)`, or serve them with `toTestServerHandler`. */
  handlers: RequestHandler[];
  /** The live state (the object passed in, completed with defaults). */
  state: MosyleSimState;
  /**
   * Enrols a device (as ADE enrolment would after an Apple School Manager assignment) and
   * returns it; re-enrolling a known serial updates that device instead of duplicating it.
   */
  enroll(device: EnrollInput): SimDevice;
  /** The device with this serial number or UDID, as stored (pending changes included). */
  device(serialOrUdid: string): SimDevice | undefined;
  /** Makes every pending change visible now (as if every device had checked in). */
  checkInAll(): void;
}

const LIST_KEYS: Record<string, string> = {
  '/listdevices': 'devices',
  '/listusers': 'users',
  '/listclasses': 'classes',
  '/listdevicegroups': 'groups',
  '/listshareddevicegroups': 'groups',
  '/adminlogs': 'logs',
};
const ARRAY_ENVELOPE = new Set(['/listdevicegroups', '/listshareddevicegroups', '/adminlogs']);
const OS_LIST: readonly MosyleOs[] = ['ios', 'mac', 'tvos', 'visionos'];

type Json = Record<string, unknown>;

function ok(body: Json): Response {
  return HttpResponse.json({ status: 'OK', ...body });
}
function inner(status: string, info: string): Response {
  return ok({ response: { status, info } });
}

/**
 * Creates the simulator. `state` may be a partial seed; it is completed in place and
 * returned as `state`, so the caller (or another simulator) shares the same object.
 *
 * @example
 * ```ts
 * const sim = createMosyleSimulator({ devices: [{ serialNumber: 'DMPX1' }] });
 * const server = setupServer(...sim.handlers);
 * server.listen({ onUnhandledRequest: 'error' });
 * const client = new MosyleClient({ ...sim.state.credentials });
 * sim.enroll({ serialNumber: 'DMPX2', name: 'iPad' });
 * ```
 */
export function createMosyleSimulator(
  state: MosyleSimSeed = {},
  options: MosyleSimulatorOptions = {},
): MosyleSimulator {
  const now = options.now ?? Date.now;
  const s = fillState(state, now());
  const prefix = options.baseURL ? options.baseURL.replace(/\/+$/, '') : '*/v2';

  const findDevice = (key: string): SimDevice | undefined => {
    const k = key.trim().toUpperCase();
    return s.devices.find((d) => d.udid.toUpperCase() === k || (d.serialNumber ?? '').toUpperCase() === k);
  };
  const settle = (d: SimDevice): void => {
    if (d.pending.length === 0) return;
    const t = now();
    while (d.pending.length > 0 && (d.pending[0]?.visibleAt ?? Infinity) <= t) {
      const p = d.pending.shift() as SimDevice['pending'][number];
      if (p.name !== undefined) d.name = p.name;
      if (p.assetTag !== undefined) d.assetTag = p.assetTag;
      if (p.tags !== undefined) d.tags = p.tags;
      d.lastSeenAt = p.visibleAt;
    }
  };
  const log = (action: string): void => {
    s.adminLogs.push({ at: now(), user: s.credentials.email, action });
  };

  const sim: MosyleSimulator = {
    handlers: [],
    state: s,
    enroll(input) {
      const existing = findDevice(input.serialNumber);
      if (existing) {
        Object.assign(existing, { ...input, lastSeenAt: now() });
        return existing;
      }
      const d = makeDevice({ ...input, lastSeenAt: input.lastSeenAt ?? now() }, now());
      s.devices.push(d);
      return d;
    },
    device: findDevice,
    checkInAll() {
      for (const d of s.devices) {
        for (const p of d.pending) p.visibleAt = Math.min(p.visibleAt, now());
        settle(d);
      }
    },
  };

  // --- pagination and envelopes ---------------------------------------------------------
  const page = (path: string, rows: unknown[], options: Json, extra: Json = {}): Response => {
    const key = LIST_KEYS[path] as string;
    const base = s.quirks.pageBase[path] ?? 1;
    const requested = Number(options.page ?? base);
    const size0 = s.quirks.pageSize[path] ?? s.quirks.pageSize.default ?? 50;
    const asked = Number(options.page_size);
    const size = s.quirks.honorPageSize && Number.isInteger(asked) && asked > 0 ? Math.min(asked, 1000) : size0;
    let index = requested - base;
    let echo = requested;
    if (base === 1 && requested === 0) {
      if (s.quirks.pageZero === 'invalid') return inner('INVALID_DATA', 'The page key must start at 1');
      if (s.quirks.pageZero === 'empty') index = Number.POSITIVE_INFINITY;
      else {
        index = 0;
        echo = 1;
      }
    }
    const slice = Number.isFinite(index) && index >= 0 ? rows.slice(index * size, index * size + size) : [];
    if (slice.length === 0 && path === '/listdevices' && s.quirks.notFoundPastEnd) {
      return inner('DEVICES_NOTFOUND', 'No devices found');
    }
    const count = s.quirks.rowsAs === 'string' ? String(rows.length) : rows.length;
    const body: Json = { [key]: slice, rows: count, page_size: size, ...extra };
    if (s.quirks.echoPage) body.page = echo;
    const wrapped =
      s.quirks.listEnvelope === 'array' || (s.quirks.listEnvelope === 'documented' && ARRAY_ENVELOPE.has(path));
    return ok({ response: wrapped ? [body] : body });
  };

  const renderDevice = (d: SimDevice, columns: string[] | undefined): Json => {
    settle(d);
    const user = d.userId ? s.users.find((u) => u.id === d.userId) : undefined;
    const group = s.sharedDeviceGroups.find((g) => g.udids.includes(d.udid));
    const row: Json = {
      deviceudid: d.udid,
      serial_number: d.serialNumber,
      device_name: d.name,
      device_model: d.model,
      device_model_name: d.modelName,
      os: d.os,
      osversion: d.osVersion,
      asset_tag: d.assetTag,
      tags: d.tags.join(','),
      enrollment_type: d.enrollmentType,
      is_supervised: d.supervised ? 'true' : 'false',
      date_last_beat: String(Math.floor(d.lastSeenAt / 1000)),
      status: 'enrolled',
      lostmode_status: d.lostMode ? 'ENABLED' : 'DISABLED',
      userid: d.userId ?? '',
      username: user?.name ?? '',
      useremail: user?.email ?? '',
      usertype: user?.type ?? '',
      SharedCartName: group?.name ?? '',
      location: d.location ?? '',
      total_disk: '64.0000000000',
      ...d.extra,
    };
    if (!columns) return row;
    return Object.fromEntries(columns.filter((c) => c in row).map((c) => [c, row[c]]));
  };

  // --- endpoints ---------------------------------------------------------------------------
  const ops: Record<string, (body: Json) => Response> = {
    '/listdevices': (body) => {
      const o = (body.options ?? {}) as Json;
      if (!o.os) return inner('MISSING_DATA', 'Missing key: os');
      if (!OS_LIST.includes(o.os as MosyleOs)) return inner('INVALID_DATA', `Invalid os: ${String(o.os)}`);
      const serials = Array.isArray(o.serial_numbers)
        ? new Set(o.serial_numbers.map((x) => String(x).toUpperCase()))
        : undefined;
      const tags = Array.isArray(o.tags) ? o.tags.map(String) : undefined;
      const versions = Array.isArray(o.osversions) ? new Set(o.osversions.map(String)) : undefined;
      const columns = Array.isArray(o.specific_columns)
        ? o.specific_columns.map(String)
        : typeof o.specific_columns === 'string'
          ? o.specific_columns.split(',')
          : undefined;
      const rows = s.devices
        .filter((d) => d.os === o.os)
        .filter((d) => !serials || serials.has((d.serialNumber ?? '').toUpperCase()))
        .filter((d) => !versions || versions.has(d.osVersion))
        .filter((d) => {
          if (!tags) return true;
          settle(d);
          return tags.some((t) => d.tags.includes(t));
        });
      // Render only the requested page: 10,000 devices stay cheap to serve.
      const base = s.quirks.pageBase['/listdevices'] ?? 1;
      const size0 = s.quirks.pageSize['/listdevices'] ?? 100;
      const asked = Number(o.page_size);
      const size = s.quirks.honorPageSize && Number.isInteger(asked) && asked > 0 ? Math.min(asked, 1000) : size0;
      const requested = Number(o.page ?? base);
      const idx = base === 1 && requested === 0 ? 0 : requested - base;
      const lazy = rows.map((d, i) => (i >= idx * size && i < idx * size + size ? renderDevice(d, columns) : null));
      return page('/listdevices', lazy, o);
    },
    '/devices': (body) => {
      const elements = Array.isArray(body.elements) ? (body.elements as Json[]) : undefined;
      if (!elements) return inner('MISSING_DATA', 'Missing key: elements');
      const updated: string[] = [];
      for (const e of elements) {
        if (typeof e.serialnumber !== 'string' || e.serialnumber === '')
          return inner('MISSING_DATA', 'Missing key: serialnumber');
        const d = findDevice(e.serialnumber);
        if (!d || d.serialNumber === null) continue;
        const change: SimDevice['pending'][number] = { visibleAt: now() + s.visibilityDelayMs };
        if (typeof e.name === 'string' && !(s.quirks.dropUnsupervisedRenames && !d.supervised)) change.name = e.name;
        if (typeof e.asset_tag === 'string') change.assetTag = e.asset_tag;
        // Tags replace the whole set (JCSmillie/MOSBasic clears them by sending "").
        if (typeof e.tags === 'string')
          change.tags = e.tags
            .split(',')
            .map((t) => t.trim())
            .filter(Boolean);
        d.pending.push(change);
        settle(d);
        updated.push(d.serialNumber);
        log(`Device ${d.serialNumber} updated`);
      }
      return ok({ devices: updated });
    },
    '/listshareddevicegroups': (body) => {
      const o = (body.options ?? {}) as Json;
      if (!o.os) return inner('MISSING_DATA', 'Missing key: os');
      const rows = s.sharedDeviceGroups
        .filter((g) => g.os === o.os)
        .map((g) => ({
          idshareddevicegroup: g.id,
          name: g.name,
          idaccount: '1',
          number_of_devices: String(g.udids.length),
          assigned_devices: [...g.udids],
        }));
      return page('/listshareddevicegroups', rows, o);
    },
    '/shareddevicegroups': (body) => {
      const g = s.sharedDeviceGroups.find((x) => x.id === String(body.idshareddevicegroup ?? ''));
      if (body.idshareddevicegroup === undefined) return inner('MISSING_DATA', 'Missing key: idshareddevicegroup');
      if (!g) return inner('ERROR', 'Shared device group not found');
      return groupChange(g, body, true);
    },
    '/listdevicegroups': (body) => {
      const o = (body.options ?? {}) as Json;
      if (!o.os) return inner('MISSING_DATA', 'Missing key: os');
      const rows = s.deviceGroups
        .filter((g) => g.os === o.os)
        .map((g) => ({ id: g.id, name: g.name, device_numbers: String(g.udids.length) }));
      return page('/listdevicegroups', rows, o);
    },
    '/listdevicesbygroup': (body) => {
      const o = (body.options ?? {}) as Json;
      const g = s.deviceGroups.find((x) => x.id === String(o.iddevicegroup ?? ''));
      if (o.iddevicegroup === undefined) return inner('MISSING_DATA', 'Missing key: iddevicegroup');
      if (!g) return inner('INVALID_DATA', 'Device group not found');
      return ok({ response: { group_name: g.name, udids: [...g.udids] } });
    },
    '/devicegroups': (body) => {
      const g = s.deviceGroups.find((x) => x.id === String(body.idgroup ?? ''));
      if (body.idgroup === undefined) return inner('MISSING_DATA', 'Missing key: idgroup');
      if (!g) return inner('ERROR', 'Device group not found');
      return groupChange(g, body, false);
    },
    '/listusers': (body) => {
      const o = (body.options ?? {}) as Json;
      const types = Array.isArray(o.types) ? new Set(o.types.map(String)) : undefined;
      const ids = Array.isArray(o.identifiers) ? new Set(o.identifiers.map(String)) : undefined;
      const rows = s.users
        .filter((u) => (!types || types.has(u.type)) && (!ids || ids.has(u.id)))
        .map((u) => ({
          id: u.id,
          name: u.name,
          email: u.email,
          type: u.type,
          managedappleid: u.managedAppleId,
          locations: u.locations,
          serial_number: u.serialNumbers.join(','),
        }));
      return page('/listusers', rows, o);
    },
    '/users': (body) => {
      const elements = Array.isArray(body.elements) ? (body.elements as Json[]) : undefined;
      if (!elements) return inner('MISSING_DATA', 'Missing key: elements');
      const results = elements.map((e) => {
        const id = String(e.id ?? '');
        const user = s.users.find((u) => u.id === id);
        switch (e.operation) {
          case 'save': {
            const type =
              e.type === 'S' ? 'STUDENT' : e.type === 'T' ? 'TEACHER' : e.type === 'STAFF' ? 'STAFF' : undefined;
            if (!id || !e.name || !type || !Array.isArray(e.locations)) return { id, status: 'MISSING_DATA' };
            const next = {
              id,
              name: String(e.name),
              type,
              email: String(e.email ?? ''),
              managedAppleId: String(e.managed_appleid ?? ''),
              locations: e.locations as { name: string }[],
              serialNumbers: user?.serialNumbers ?? [],
            };
            if (user) Object.assign(user, next);
            else s.users.push(next);
            log(`User ${id} saved`);
            return { id, status: 'OK' };
          }
          case 'update': {
            if (!user) return { id, status: 'UNKNOWN_USER' };
            if (typeof e.name === 'string') user.name = e.name;
            if (typeof e.email === 'string') user.email = e.email;
            if (Array.isArray(e.locations)) user.locations = e.locations as { name: string }[];
            log(`User ${id} updated`);
            return { id, status: 'OK' };
          }
          case 'delete': {
            if (!user) return { id, status: 'UNKNOWN_USER' };
            s.users.splice(s.users.indexOf(user), 1);
            log(`User ${id} deleted`);
            return { id, status: 'OK' };
          }
          case 'assign_device': {
            if (!user) return { id, status: 'UNKNOWN_USER' };
            const d = findDevice(String(e.serial_number ?? ''));
            if (!d) return { id, status: 'DEVICES_NOTFOUND' };
            if (d.enrollmentType.includes('SHARED'))
              return { id, status: 'INVALID_DATA', info: 'Shared devices cannot be assigned to a user' };
            d.userId = id;
            for (const g of s.sharedDeviceGroups) g.udids = g.udids.filter((u) => u !== d.udid);
            if (d.serialNumber && !user.serialNumbers.includes(d.serialNumber)) user.serialNumbers.push(d.serialNumber);
            log(`Device ${d.serialNumber} assigned to ${id}`);
            return { id, status: 'OK' };
          }
          default:
            return { id, status: 'INVALID_DATA', info: `Unknown operation ${String(e.operation)}` };
        }
      });
      return ok({ elements: results });
    },
    '/listclasses': (body) => {
      const o = (body.options ?? {}) as Json;
      const rows = s.classes.map((c) => ({
        id: c.id,
        idclass: String(s.classes.indexOf(c) + 1),
        class_name: c.className,
        course_name: c.courseName,
        teacher: c.teacherId,
        locations: [c.location],
        students: c.students,
      }));
      return page('/listclasses', rows, o);
    },
    '/classes': (body) => {
      const elements = Array.isArray(body.elements) ? (body.elements as Json[]) : undefined;
      if (!elements) return inner('MISSING_DATA', 'Missing key: elements');
      let uuid = '';
      for (const e of elements) {
        const id = String(e.id ?? '');
        if (!id) return inner('MISSING_DATA', 'Missing key: id');
        const i = s.classes.findIndex((c) => c.id === id);
        if (e.operation === 'delete') {
          if (i >= 0) s.classes.splice(i, 1);
          log(`Class ${id} deleted`);
        } else if (e.operation === 'save') {
          const c = {
            id,
            courseName: String(e.course_name ?? ''),
            className: String(e.class_name ?? ''),
            location: String(e.location ?? ''),
            teacherId: String(e.idteacher ?? ''),
            students: Array.isArray(e.students) ? e.students.map(String) : [],
          };
          if (i >= 0) s.classes[i] = c;
          else s.classes.push(c);
          log(`Class ${id} saved`);
        } else return inner('INVALID_DATA', `Unknown operation ${String(e.operation)}`);
        uuid = String(100000 + s.classes.length);
      }
      return ok({ uuid });
    },
    '/bulkops': (body) => commandOp('/bulkops', body),
    '/lostmode': (body) => commandOp('/lostmode', body),
    '/adminlogs': (body) => {
      const f = (body.filter_options ?? {}) as Json;
      const from = Number(f.start_date ?? 0) * 1000;
      const to = f.end_date === undefined ? Number.POSITIVE_INFINITY : Number(f.end_date) * 1000 + 999;
      const rows = s.adminLogs
        .filter((l) => l.at >= from && l.at <= to)
        .map((l) => ({ date: String(Math.floor(l.at / 1000)), user: l.user, action: l.action }));
      return page('/adminlogs', rows, { page: body.page });
    },
  };

  function groupChange(g: SimGroup, body: Json, shared: boolean): Response {
    const add = Array.isArray(body.add) ? body.add.map(String) : [];
    const remove = Array.isArray(body.remove) ? body.remove.map(String) : [];
    if (add.length === 0 && remove.length === 0) return inner('MISSING_DATA', 'Missing key: add or remove');
    const notFound: string[] = [];
    for (const u of add) {
      const d = findDevice(u);
      if (!d) {
        notFound.push(u);
        continue;
      }
      if (shared)
        for (const other of s.sharedDeviceGroups)
          if (other !== g) other.udids = other.udids.filter((x) => x !== d.udid);
      if (!g.udids.includes(d.udid)) g.udids.push(d.udid);
    }
    for (const u of remove) {
      if (!findDevice(u)) notFound.push(u);
      g.udids = g.udids.filter((x) => x !== u);
    }
    log(`Group ${g.name}: +${add.length - notFound.length} −${remove.length}`);
    const result: Json = shared
      ? { status: 'COMMAND_SENT', info: 'Command sent successfully.' }
      : { status: 'OK', info: '110' };
    if (notFound.length) result.devices_notfound = notFound;
    return ok({ response: [result] });
  }

  function commandOp(path: string, body: Json): Response {
    const elements = Array.isArray(body.elements) ? (body.elements as Json[]) : undefined;
    if (!elements) return inner('MISSING_DATA', 'Missing key: elements');
    const known =
      path === '/lostmode'
        ? ['enable', 'disable', 'play_sound', 'request_location']
        : [
            'restart_devices',
            'shutdown_devices',
            'wipe_devices',
            'clear_commands',
            'clear_pending_commands',
            'clear_failed_commands',
            'change_to_limbo',
            'update_limbo_location',
            'lock_device',
            'enable_activationlock',
            'disable_activationlock',
            'move_device_account',
          ];
    const results = elements.map((e) => {
      const operation = String(e.operation ?? '');
      if (!known.includes(operation)) return { status: 'INVALID_DATA', info: `Unknown operation ${operation}` };
      const devices = Array.isArray(e.devices) ? e.devices.map(String) : [];
      const groups = Array.isArray(e.groups) ? e.groups.map(String) : [];
      if (devices.length === 0 && groups.length === 0) return { status: 'MISSING_DATA', info: 'Missing key: devices' };
      if (path === '/lostmode' && operation === 'enable' && !e.message)
        return { status: 'MISSING_DATA', info: 'Missing key: message' };
      const found: SimDevice[] = [];
      const notFound: string[] = [];
      for (const u of devices) {
        const d = s.devices.find((x) => x.udid === u);
        if (d) found.push(d);
        else notFound.push(u);
      }
      for (const d of found) {
        if (operation === 'change_to_limbo') {
          d.userId = null;
          for (const g of s.sharedDeviceGroups) g.udids = g.udids.filter((x) => x !== d.udid);
        }
        if (operation === 'update_limbo_location') d.location = String(e.location ?? '');
        if (path === '/lostmode' && operation === 'enable') d.lostMode = true;
        if (path === '/lostmode' && operation === 'disable') d.lostMode = false;
      }
      const { operation: _o, devices: _d, groups: _g, ...params } = e;
      s.commands.push({ path, operation, devices: found.map((d) => d.udid), groups, params, at: now() });
      log(`Command ${operation} on ${found.length} device(s)`);
      const status =
        found.length === 0 && groups.length === 0
          ? 'ERROR'
          : operation.startsWith('clear')
            ? 'COMMAND_CLEARED'
            : 'COMMAND_SENT';
      const r: Json = { status, info: status === 'ERROR' ? 'Devices not found' : 'Command sent successfully.' };
      if (notFound.length) r.devices_notfound = notFound;
      return r;
    });
    return ok({ response: results });
  }

  // --- auth, faults, dispatch -------------------------------------------------------------
  const issueJwt = (): string => {
    const issuedAt = now();
    const expiresAt = issuedAt + s.jwtTtlMs;
    const b64 = (o: Json) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const payload: Json = {
      sub: s.credentials.email,
      iat: Math.floor(issuedAt / 1000),
      jti: randomBytes(6).toString('hex'),
    };
    if (s.quirks.jwtExp) payload.exp = Math.floor(expiresAt / 1000);
    const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}.${randomBytes(16).toString('base64url')}`;
    s.jwts.push({ token, issuedAt, expiresAt, revoked: false });
    return token;
  };

  const unauthorized = (): Response =>
    s.quirks.unauthorizedAs === 'http-401'
      ? new HttpResponse('Unauthorized', { status: 401, headers: { 'content-type': 'text/plain' } })
      : inner('Unauthorized', 'Unauthorized');

  const accessProblem = (token: unknown): Response | undefined => {
    if (typeof token !== 'string' || token === '')
      return HttpResponse.json({ error: 'accessToken Required' }, { status: 401 });
    if (token !== s.credentials.accessToken)
      return HttpResponse.json({ error: 'Invalid accessToken' }, { status: 401 });
    if (s.ipRestricted) {
      return HttpResponse.json(
        {
          status: 'ERROR',
          message: 'Access denied: this IP address is not allowed to use this token (Restricted access method)',
        },
        { status: 403 },
      );
    }
    if (s.plan === 'free') {
      return HttpResponse.json(
        {
          status: 'API_NOT_ENABLED',
          message: 'API integration is not enabled for this account (Mosyle Manager Premium required)',
        },
        { status: 403 },
      );
    }
    return undefined;
  };

  const fault = (path: string): Response | undefined => {
    const f = s.faults.find((x) => (x.path === undefined || x.path === path) && (x.times === undefined || x.times > 0));
    if (!f) return undefined;
    if (f.times !== undefined) f.times--;
    switch (f.kind) {
      case 'http-500':
      case 'http-503':
        return new HttpResponse('Service temporarily unavailable', { status: f.kind === 'http-500' ? 500 : 503 });
      case 'http-429':
        return new HttpResponse('Too Many Requests', {
          status: 429,
          headers: f.retryAfterSeconds === undefined ? {} : { 'retry-after': String(f.retryAfterSeconds) },
        });
      case 'network':
        return HttpResponse.error();
      case 'unauthorized':
        return unauthorized();
      case 'inner-status':
        return inner(f.status ?? 'ERROR', f.info ?? 'Simulated failure');
      case 'outer-status':
        return HttpResponse.json({ status: f.status ?? 'ERROR', message: f.info ?? 'Simulated failure' });
      case 'html-404':
        return new HttpResponse('<html><body>Ops, something happened!</body></html>', {
          status: 404,
          headers: { 'content-type': 'text/html' },
        });
    }
  };

  const handle = async (request: Request, op: string): Promise<Response> => {
    const path = `/${op}`;
    if (request.method !== 'POST')
      return HttpResponse.json({ status: 405, message: 'INVALID_METHOD' }, { status: 405 });
    let body: Json;
    try {
      body = (await request.json()) as Json;
    } catch {
      return inner('INVALID_JSON', 'The body is not valid JSON');
    }
    const redacted: Json = { ...body };
    if ('accessToken' in redacted) redacted.accessToken = '[REDACTED]';
    if ('password' in redacted) redacted.password = '[REDACTED]';
    s.requests.push({ path, at: now(), body: redacted });
    const injected = fault(path);
    if (injected) return injected;
    if (path === '/login') {
      const problem = accessProblem(body.accessToken);
      if (problem) return problem;
      if (body.email !== s.credentials.email || body.password !== s.credentials.password) {
        return HttpResponse.json(
          { status: 'INVALID_CREDENTIALS', message: 'Invalid email or password' },
          { status: 401 },
        );
      }
      const token = issueJwt();
      return HttpResponse.json(
        { UserID: 'api-admin', email: s.credentials.email },
        {
          headers: {
            // The JWT is only in this header, with the stray whitespace MOSBasic had to strip.
            authorization: `Bearer  ${token} `,
            expires: 'Thu, 19 Nov 1981 08:52:00 GMT',
            'cache-control': 'no-store, no-cache, must-revalidate',
            'set-cookie': `PHPSESSID=${randomBytes(8).toString('hex')}; path=/; secure; HttpOnly`,
          },
        },
      );
    }
    const handler = ops[path];
    if (!handler) {
      return new HttpResponse('<html><body>Ops, something happened!</body></html>', {
        status: 404,
        headers: { 'content-type': 'text/html' },
      });
    }
    const problem = accessProblem(body.accessToken);
    if (problem) return problem;
    const auth = request.headers.get('authorization') ?? '';
    const jwt = auth.replace(/^Bearer\s+/i, '').trim();
    const issued = s.jwts.find((j) => j.token === jwt);
    if (!issued || issued.revoked || now() >= issued.expiresAt) return unauthorized();
    return handler(body);
  };

  sim.handlers = [http.all(`${prefix}/:op`, ({ request, params }) => handle(request, String(params.op)))];
  return sim;
}
