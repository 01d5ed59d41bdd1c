/**
 * A stateful simulator of the Apple School Manager API as msw 2 handlers: OAuth token endpoint
 * (ES256 assertion checked against the account's public key), cursor-paged reads, activities
 * that complete after some polls with a CSV log behind a short-lived presigned link, unknown
 * serials silently dropped, read lag after writes, 20 GET/min and 10 POST/h sliding windows
 * answered with 429 + `Retry-After`, and injected faults.
 */
import { createHmac, createPublicKey, randomBytes, verify } from 'node:crypto';
import { HttpResponse, http, type RequestHandler } from 'msw';
import { ASM_ASSERTION_AUDIENCE, MAX_ASSERTION_LIFETIME_MS } from '../../asm-api/auth/assertion.js';
import { ASM_TOKEN_URL } from '../../asm-api/client.js';
import { MIGRATION_FIELDS } from '../../asm-api/schemas.js';
import { ASM_API_BASE_URL } from '../../constants.js';
import { takeFault } from '../faults.js';
import {
  type AsmSimActivity,
  type AsmSimDevice,
  type AsmSimEvent,
  type AsmSimInit,
  type AsmSimState,
  SIM_DEVICE_FIELDS,
  toAsmSimState,
} from './state.js';

/** Options of {@link createAsmSimulator}. */
export interface AsmSimulatorOptions {
  /** API root the handlers answer. @defaultValue `https://api-school.apple.com/v1` */
  baseURL?: string;
  /** Token endpoint. @defaultValue `https://account.apple.com/auth/oauth2/token` */
  tokenURL?: string;
  /**
   * Match any origin (`*` + path), for a real local server (`toTestServerHandler`); log links
   * then point at the request's own origin.
   * @defaultValue `false`
   */
  anyOrigin?: boolean;
}

/** A running simulator. */
export interface AsmSimulator {
  /** msw handlers: pass them to `setupServer(...handlers)` or `toTestServerHandler(handlers)`. */
  handlers: RequestHandler[];
  /** The shared state. */
  state: AsmSimState;
  /** Applies every activity whose processing time has passed (handlers do it on each request). */
  settle(): void;
}

const SIGNING_KEY = randomBytes(16);

/**
 * Creates the simulator.
 *
 * @example
 * ```ts
 * const account = createAsmApiAccount();
 * const sim = createAsmSimulator({
 *   accounts: [account],
 *   servers: [{ id: MOSYLE_ID, serverName: 'Mosyle Manager', serverType: 'MDM' }],
 *   devices: [{ serialNumber: 'DMPXK0AAHP5Q', productFamily: 'iPad' }],
 * });
 * const server = setupServer(...sim.handlers);
 * server.listen({ onUnhandledRequest: 'error' });
 * ```
 */
export function createAsmSimulator(
  init: AsmSimInit | AsmSimState = {},
  options: AsmSimulatorOptions = {},
): AsmSimulator {
  const state = toAsmSimState(init);
  const any = options.anyOrigin === true;
  const base = stripSlash(options.baseURL ?? ASM_API_BASE_URL);
  const tokenURL = options.tokenURL ?? ASM_TOKEN_URL;
  const basePath = new URL(base).pathname.replace(/\/$/, '');
  const api = (path: string): string => (any ? `*${basePath}${path}` : `${base}${path}`);
  const tokenPattern = any ? `*${new URL(tokenURL).pathname}` : tokenURL;
  const logPattern = any
    ? '*/__asm-activity-logs/:file'
    : `${stripSlash(state.config.logBaseURL)}/__asm-activity-logs/:file`;
  const windows: Record<string, number[]> = { GET: [], POST: [] };

  const now = (): number => state.now();
  const emit = (event: AsmSimEvent): void => {
    state.events.push(event);
    for (const l of state.listeners) l(event);
  };

  const settle = (): void => {
    const t = now();
    for (const a of state.activities.values()) if (!a.applied && a.completesAt <= t) apply(a, t);
  };

  const apply = (a: AsmSimActivity, t: number): void => {
    a.applied = true;
    for (const serial of a.serials) {
      const d = state.devices.get(serial.toUpperCase());
      if (!d || d.releasedFromOrgDateTime) continue; // Apple silently drops unknown serials
      const fail = (message: string): void => {
        a.log.push({ serial: d.serialNumber, status: 'FAILED', message });
      };
      const move = (serverId: string | undefined): void => {
        if (state.config.readLagMs > 0) {
          d.lagged = { serverId: d.serverId, updatedAt: d.updatedAt, until: t + state.config.readLagMs };
        }
        d.serverId = serverId;
        d.updatedAt = t;
      };
      switch (a.activityType) {
        case 'ASSIGN_DEVICES':
        case 'ASSIGN_DEVICES_WITH_MDM_MIGRATION_DEADLINE': {
          const migrate = a.activityType !== 'ASSIGN_DEVICES';
          if (migrate && d.isMdmMigrationCapable !== true) {
            fail('Device is not eligible for MDM migration');
            continue;
          }
          const previous = d.serverId;
          move(a.serverId);
          if (migrate) {
            d.migrationFromServerId = previous;
            d.mdmMigrationStatus = 'REQUESTED';
            d.mdmMigrationDeadlineDateTime = a.deadline;
          }
          a.log.push({ serial: d.serialNumber, status: 'SUCCESS', message: '' });
          emit({
            type: 'device-assigned',
            serial: d.serialNumber,
            serverId: a.serverId as string,
            serverName: state.servers.get(a.serverId as string)?.serverName,
            previousServerId: previous,
            activityId: a.id,
            ...(migrate ? { migrationDeadline: a.deadline } : {}),
            at: t,
          });
          break;
        }
        case 'UNASSIGN_DEVICES':
          if (d.serverId !== a.serverId) {
            fail('Device is not assigned to this device management service');
            continue;
          }
          move(undefined);
          a.log.push({ serial: d.serialNumber, status: 'SUCCESS', message: '' });
          emit({
            type: 'device-unassigned',
            serial: d.serialNumber,
            serverId: a.serverId as string,
            activityId: a.id,
            at: t,
          });
          break;
        case 'UPDATE_MDM_MIGRATION_DEADLINE':
          if (d.mdmMigrationStatus !== 'REQUESTED') {
            fail('Device has no pending MDM migration');
            continue;
          }
          d.mdmMigrationDeadlineDateTime = a.deadline;
          d.updatedAt = t;
          a.log.push({ serial: d.serialNumber, status: 'SUCCESS', message: '' });
          emit({
            type: 'migration-deadline-updated',
            serial: d.serialNumber,
            deadline: a.deadline as string,
            activityId: a.id,
            at: t,
          });
          break;
        case 'CANCEL_MDM_MIGRATION':
          if (d.mdmMigrationStatus !== 'REQUESTED') {
            fail('Device has no pending MDM migration');
            continue;
          }
          move(d.migrationFromServerId);
          d.mdmMigrationStatus = undefined;
          d.mdmMigrationDeadlineDateTime = undefined;
          d.migrationFromServerId = undefined;
          a.log.push({ serial: d.serialNumber, status: 'SUCCESS', message: '' });
          emit({ type: 'migration-cancelled', serial: d.serialNumber, serverId: d.serverId, activityId: a.id, at: t });
          break;
      }
    }
  };

  const record = (request: Request, kind: 'api' | 'token' | 'log', status: number): void => {
    const url = new URL(request.url);
    state.calls.push({
      at: now(),
      method: request.method,
      path: `${url.pathname}${url.search}`,
      kind,
      status,
      authorization: request.headers.has('authorization'),
    });
  };

  /** Fault injection, auth, rate limits; then the handler. */
  const guard =
    (
      method: 'GET' | 'POST',
      handler: (request: Request, params: Record<string, string>) => Response | Promise<Response>,
    ) =>
    async ({
      request,
      params,
    }: {
      request: Request;
      params: Record<string, string | readonly string[] | undefined>;
    }) => {
      settle();
      const done = (r: Response): Response => {
        record(request, 'api', r.status || 0);
        return r;
      };
      const fault = takeFault(state.faults, request);
      if (fault) {
        if (fault.kind === 'reset') return done(HttpResponse.error() as unknown as Response);
        if (fault.kind === 'malformed')
          return done(
            new HttpResponse('{"data": [ {"id": ', { status: 200, headers: { 'content-type': 'application/json' } }),
          );
        if (fault.kind === 'rate-limit') return done(tooMany(fault.retryAfterSeconds ?? 60));
        if (fault.kind === 'unauthorized') return done(unauthorized());
        const headers: Record<string, string> =
          fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
        return done(apiError(fault.status ?? 503, 'INTERNAL_ERROR', 'The service failed', headers));
      }
      const auth = request.headers.get('authorization') ?? '';
      const token = /^Bearer (.+)$/.exec(auth)?.[1];
      const known = token === undefined ? undefined : state.tokens.get(token);
      if (!known || known.expiresAt <= now()) return done(unauthorized());
      const accept = request.headers.get('accept');
      if (accept && !/application\/json|\*\/\*/.test(accept))
        return done(apiError(406, 'NOT_ACCEPTABLE', 'Accept must be application/json'));
      const limit = state.config.rateLimits[method === 'GET' ? 'get' : 'post'];
      if (limit) {
        const w = windows[method] as number[];
        const t = now();
        while (w.length > 0 && (w[0] as number) <= t - limit.perMs) w.shift();
        if (w.length >= limit.requests)
          return done(tooMany(Math.max(1, Math.ceil(((w[0] as number) + limit.perMs - t) / 1000))));
        w.push(t);
      }
      const flat: Record<string, string> = {};
      for (const [k, v] of Object.entries(params)) if (typeof v === 'string') flat[k] = v;
      return done(await handler(request, flat));
    };

  const visible = (d: AsmSimDevice): { serverId: string | undefined; updatedAt: number } =>
    d.lagged && now() < d.lagged.until ? d.lagged : { serverId: d.serverId, updatedAt: d.updatedAt };

  const deviceAttributes = (d: AsmSimDevice, fields: Set<string> | undefined): Record<string, unknown> => {
    const v = visible(d);
    const all: Record<string, unknown> = {
      serialNumber: d.serialNumber,
      addedToOrgDateTime: d.addedToOrgDateTime ?? '2025-08-01T10:00:00.000Z',
      releasedFromOrgDateTime: null,
      updatedDateTime: new Date(v.updatedAt).toISOString(),
      deviceModel: d.deviceModel ?? 'iPad (10th generation)',
      productFamily: d.productFamily ?? 'iPad',
      productType: d.productType ?? 'iPad13,18',
      deviceCapacity: d.deviceCapacity ?? '64GB',
      partNumber: 'MPQ03NF/A',
      orderNumber: d.orderNumber ?? 'ORDER-1',
      color: d.color ?? '',
      status: v.serverId ? 'ASSIGNED' : 'UNASSIGNED',
      orderDateTime: '2025-07-01T00:00:00.000Z',
      imei: [],
      meid: [],
      eid: '',
      purchaseSourceUid: d.purchaseSourceUid ?? '1234567',
      purchaseSourceType: d.purchaseSourceType ?? 'APPLE',
      wifiMacAddress: 'A0B1C2D3E4F5',
      bluetoothMacAddress: 'A0B1C2D3E4F6',
      ...(d.isMdmMigrationCapable === undefined ? {} : { isMdmMigrationCapable: d.isMdmMigrationCapable }),
      ...(d.mdmMigrationStatus ? { mdmMigrationStatus: d.mdmMigrationStatus } : {}),
      ...(d.mdmMigrationDeadlineDateTime ? { mdmMigrationDeadlineDateTime: d.mdmMigrationDeadlineDateTime } : {}),
      ...d.extra,
    };
    if (!fields) return all;
    const out: Record<string, unknown> = {};
    for (const f of fields) {
      const key = f === 'purchaseSourceId' ? 'purchaseSourceUid' : f;
      if (key in all) out[key] = all[key];
    }
    return out;
  };

  const serverAttributes = (id: string): Record<string, unknown> => {
    const s = state.servers.get(id);
    let count = 0;
    for (const d of state.devices.values()) if (visible(d).serverId === id) count++;
    return {
      serverName: s?.serverName,
      serverType: s?.serverType ?? 'MDM',
      status: s?.status ?? 'ACTIVE',
      deviceCount: count,
      defaultProductFamilies: s?.defaultProductFamilies ?? [],
      enableMdmDisownFlag: false,
      createdDateTime: s?.createdDateTime ?? '2024-01-01T00:00:00.000Z',
      updatedDateTime: s?.updatedDateTime ?? '2024-01-01T00:00:00.000Z',
    };
  };

  const page = <T>(request: Request, items: T[], render: (item: T) => unknown): Response => {
    const url = new URL(request.url);
    const limitText = url.searchParams.get('limit');
    const limit = limitText === null ? state.config.defaultPageSize : Number(limitText);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      return apiError(400, 'PARAMETER_ERROR.INVALID', `The limit ${limitText} is not between 1 and 1000`);
    }
    const cursor = url.searchParams.get('cursor');
    let offset = 0;
    if (cursor) {
      const m = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString());
      if (!m) return apiError(400, 'PARAMETER_ERROR.INVALID', 'The cursor is not valid');
      offset = Number(m[1]);
    }
    const slice = items.slice(offset, offset + limit);
    const next = offset + limit < items.length ? Buffer.from(`o:${offset + limit}`).toString('base64url') : undefined;
    const self = `${url.origin}${url.pathname}`;
    const nextHost = state.config.malformedNextLinks ? self.replace(/\.apple\.com/, '.apple') : self;
    return HttpResponse.json({
      data: slice.map(render),
      links: { self: url.href, ...(next ? { next: `${nextHost}?cursor=${next}&limit=${limit}` } : {}) },
      meta: { paging: { limit, ...(next ? { nextCursor: next } : {}), total: items.length } },
    }) as unknown as Response;
  };

  const listed = (): AsmSimDevice[] => [...state.devices.values()].filter((d) => !d.releasedFromOrgDateTime);

  const deviceResource = (d: AsmSimDevice, fields: Set<string> | undefined, omitSerial = false) => {
    const attributes = deviceAttributes(d, fields);
    if (omitSerial) delete attributes.serialNumber;
    return {
      type: 'orgDevices',
      id: d.serialNumber,
      attributes,
      links: { self: `${base}/orgDevices/${d.serialNumber}` },
    };
  };

  const parseFields = (request: Request, param: string): Set<string> | Response | undefined => {
    const raw = new URL(request.url).searchParams.get(param);
    if (raw === null) return undefined;
    const fields = new Set(raw.split(',').filter((f) => f !== ''));
    for (const f of fields) {
      const migration = (MIGRATION_FIELDS as readonly string[]).includes(f);
      if (migration && state.config.migrationFieldsParam === 'accept') continue;
      if (param === 'fields[orgDevices]' && !SIM_DEVICE_FIELDS.has(f)) {
        return apiError(
          400,
          'PARAMETER_ERROR.INVALID',
          `'${f}' is not a valid field name for ${param}`,
          {},
          { parameter: param },
        );
      }
    }
    return fields;
  };

  const activityDoc = (a: AsmSimActivity, origin: string) => {
    const done = a.applied && a.polls > state.config.pollsBeforeDone;
    const failed = a.log.some((r) => r.status === 'FAILED');
    const attributes: Record<string, unknown> = {
      status: done ? 'COMPLETED' : 'IN_PROGRESS',
      subStatus: done
        ? failed
          ? 'COMPLETED_WITH_ERROR'
          : 'COMPLETED_WITH_SUCCESS'
        : a.polls === 0
          ? 'SUBMITTED'
          : 'PROCESSING',
      createdDateTime: new Date(a.createdAt).toISOString(),
    };
    if (done) {
      attributes.completedDateTime = new Date(a.completesAt).toISOString();
      const expires = Math.floor((now() + state.config.logLinkTtlMs) / 1000);
      const logBase = any ? origin : stripSlash(state.config.logBaseURL);
      attributes.downloadUrl = `${logBase}/__asm-activity-logs/${a.id}.csv?Expires=${expires}&Signature=${sign(`${a.id}:${expires}`)}`;
    }
    return {
      data: {
        type: 'orgDeviceActivities',
        id: a.id,
        attributes,
        links: { self: `${base}/orgDeviceActivities/${a.id}` },
      },
      links: { self: `${base}/orgDeviceActivities/${a.id}` },
    };
  };

  const handlers: RequestHandler[] = [
    http.post(tokenPattern, async ({ request }) => {
      settle();
      const response = await issueToken(state, request);
      record(request, 'token', response.status);
      return response;
    }),
    http.get(
      api('/orgDevices'),
      guard('GET', (request) => {
        const fields = parseFields(request, 'fields[orgDevices]');
        if (fields instanceof Response) return fields;
        return page(request, listed(), (d) => deviceResource(d, fields));
      }),
    ),
    http.get(
      api('/orgDevices/:id'),
      guard('GET', (request, p) => {
        const d = state.devices.get(String(p.id).toUpperCase());
        if (!d || d.releasedFromOrgDateTime) return notFound('orgDevices', p.id);
        const fields = parseFields(request, 'fields[orgDevices]');
        if (fields instanceof Response) return fields;
        // Apple's own single-device example carries no serialNumber attribute (the id is the serial).
        return HttpResponse.json({
          data: deviceResource(d, fields, true),
          links: { self: request.url },
        }) as unknown as Response;
      }),
    ),
    http.get(
      api('/orgDevices/:id/assignedServer'),
      guard('GET', (request, p) => {
        const d = state.devices.get(String(p.id).toUpperCase());
        if (!d) return notFound('orgDevices', p.id);
        const sid = visible(d).serverId;
        return HttpResponse.json({
          data: sid ? { type: 'mdmServers', id: sid, attributes: serverAttributes(sid) } : null,
          links: { self: request.url },
        }) as unknown as Response;
      }),
    ),
    http.get(
      api('/orgDevices/:id/relationships/assignedServer'),
      guard('GET', (request, p) => {
        const d = state.devices.get(String(p.id).toUpperCase());
        if (!d) return notFound('orgDevices', p.id);
        const sid = visible(d).serverId;
        return HttpResponse.json({
          data: sid ? { type: 'mdmServers', id: sid } : null,
          links: { self: request.url },
        }) as unknown as Response;
      }),
    ),
    http.get(
      api('/orgDevices/:id/appleCareCoverage'),
      guard('GET', (request, p) => {
        const d = state.devices.get(String(p.id).toUpperCase());
        if (!d) return notFound('orgDevices', p.id);
        return page(request, d.appleCare ?? [], (c) => {
          const { id, ...attributes } = c as { id?: string };
          return { type: 'appleCareCoverage', id: id ?? 'H2WH2ZPXFFDG', attributes };
        });
      }),
    ),
    http.get(
      api('/mdmServers'),
      guard('GET', (request) => {
        const fields = parseFields(request, 'fields[mdmServers]');
        if (fields instanceof Response) return fields;
        return page(request, [...state.servers.keys()], (id) => {
          const all = serverAttributes(id);
          const attributes = fields ? Object.fromEntries(Object.entries(all).filter(([k]) => fields.has(k))) : all;
          return { type: 'mdmServers', id, attributes };
        });
      }),
    ),
    http.get(
      api('/mdmServers/:id/relationships/devices'),
      guard('GET', (request, p) => {
        if (!state.servers.has(String(p.id))) return notFound('mdmServers', p.id);
        const serials = listed()
          .filter((d) => visible(d).serverId === p.id)
          .map((d) => d.serialNumber);
        return page(request, serials, (s) => ({ type: 'orgDevices', id: s }));
      }),
    ),
    http.post(
      api('/orgDeviceActivities'),
      guard('POST', async (request) => {
        let body: unknown;
        try {
          body = await request.json();
        } catch {
          return apiError(400, 'PARAMETER_ERROR.INVALID', 'The request body is not valid JSON');
        }
        return createActivity(body);
      }),
    ),
    http.get(
      api('/orgDeviceActivities/:id'),
      guard('GET', (request, p) => {
        const a = state.activities.get(String(p.id));
        if (!a) return notFound('orgDeviceActivities', p.id);
        a.polls++;
        return HttpResponse.json(activityDoc(a, new URL(request.url).origin)) as unknown as Response;
      }),
    ),
    http.get(logPattern, ({ request, params }) => {
      const response = serveLog(request, String(params.file));
      record(request, 'log', response.status);
      return response;
    }),
  ];

  const createActivity = (body: unknown): Response => {
    const data = (body as { data?: Record<string, unknown> })?.data as
      | {
          type?: string;
          attributes?: { activityType?: string; activityTypeMetadata?: { mdmMigrationDeadlineDateTime?: string } };
          relationships?: { mdmServer?: { data?: { id?: string } }; devices?: { data?: { id?: string }[] } };
        }
      | undefined;
    const type = data?.attributes?.activityType;
    const known = [
      'ASSIGN_DEVICES',
      'UNASSIGN_DEVICES',
      'ASSIGN_DEVICES_WITH_MDM_MIGRATION_DEADLINE',
      'UPDATE_MDM_MIGRATION_DEADLINE',
      'CANCEL_MDM_MIGRATION',
    ];
    if (data?.type !== 'orgDeviceActivities' || !type || !known.includes(type)) {
      return apiError(422, 'ENTITY_ERROR.ATTRIBUTE.INVALID', `activityType ${String(type)} is not valid`);
    }
    const serverId = data.relationships?.mdmServer?.data?.id;
    const needsServer =
      type === 'ASSIGN_DEVICES' || type === 'UNASSIGN_DEVICES' || type === 'ASSIGN_DEVICES_WITH_MDM_MIGRATION_DEADLINE';
    if (needsServer && (!serverId || !state.servers.has(serverId))) {
      return apiError(409, 'ENTITY_ERROR.RELATIONSHIP.INVALID', 'The device management service ID is not valid');
    }
    if (!needsServer && serverId) {
      return apiError(409, 'ENTITY_ERROR.RELATIONSHIP.INVALID', `${type} takes no mdmServer relationship`);
    }
    const devices = data.relationships?.devices?.data ?? [];
    if (devices.length === 0) return apiError(422, 'ENTITY_ERROR.RELATIONSHIP.REQUIRED', 'No devices');
    let deadline: string | undefined;
    if (type === 'ASSIGN_DEVICES_WITH_MDM_MIGRATION_DEADLINE' || type === 'UPDATE_MDM_MIGRATION_DEADLINE') {
      deadline = data.attributes?.activityTypeMetadata?.mdmMigrationDeadlineDateTime;
      const t = deadline ? Date.parse(deadline) : Number.NaN;
      const tooFar = t > now() + 90 * 86_400_000;
      const past = type === 'ASSIGN_DEVICES_WITH_MDM_MIGRATION_DEADLINE' && t <= now();
      if (Number.isNaN(t) || tooFar || past) {
        return apiError(409, 'ENTITY_ERROR.ATTRIBUTE.INVALID', 'The migration deadline is outside the allowed range');
      }
    }
    const t = now();
    const a: AsmSimActivity = {
      id: randomBytes(16).toString('hex').toUpperCase(),
      activityType: type,
      serverId,
      serials: devices.map((d) => String(d.id)),
      deadline,
      createdAt: t,
      completesAt: t + state.config.processingMs,
      polls: 0,
      applied: false,
      log: [],
    };
    state.activities.set(a.id, a);
    settle();
    return HttpResponse.json(
      {
        data: {
          type: 'orgDeviceActivities',
          id: a.id,
          attributes: { status: 'IN_PROGRESS', subStatus: 'SUBMITTED', createdDateTime: new Date(t).toISOString() },
        },
        links: { self: `${base}/orgDeviceActivities/${a.id}` },
      },
      { status: 201 },
    ) as unknown as Response;
  };

  const serveLog = (request: Request, file: string): Response => {
    const url = new URL(request.url);
    const id = file.replace(/\.csv$/, '');
    const expires = Number(url.searchParams.get('Expires'));
    const xml = (status: number, code: string, message: string): Response =>
      new HttpResponse(
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
        {
          status,
          headers: { 'content-type': 'application/xml' },
        },
      ) as unknown as Response;
    if (request.headers.has('authorization')) return xml(400, 'InvalidArgument', 'Only one auth mechanism allowed');
    if (url.searchParams.get('Signature') !== sign(`${id}:${expires}`))
      return xml(403, 'SignatureDoesNotMatch', 'Signature does not match');
    if (!(expires * 1000 > now())) return xml(403, 'AccessDenied', 'Request has expired');
    const a = state.activities.get(id);
    if (!a) return xml(404, 'NoSuchKey', 'The specified key does not exist');
    const [c1, c2, c3] = state.config.logColumns;
    const lines = [[c1, c2, c3], ...a.log.map((r) => [r.serial, r.status, r.message])];
    return new HttpResponse(`${lines.map((l) => l.map(csvCell).join(',')).join('\r\n')}\r\n`, {
      status: 200,
      headers: { 'content-type': 'text/csv' },
    }) as unknown as Response;
  };

  return { handlers, state, settle };
}

async function issueToken(state: AsmSimState, request: Request): Promise<Response> {
  const form = new URLSearchParams(new URL(request.url).search);
  const text = await request.text();
  for (const [k, v] of new URLSearchParams(text)) form.set(k, v);
  const fail = (error: string, description: string): Response =>
    HttpResponse.json({ error, error_description: description }, { status: 400 }) as unknown as Response;
  if (form.get('grant_type') !== 'client_credentials')
    return fail('unsupported_grant_type', 'grant_type must be client_credentials');
  if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
    return fail('invalid_request', 'client_assertion_type must be jwt-bearer');
  }
  const clientId = form.get('client_id') ?? '';
  const account = state.accounts.find((a) => a.clientId === clientId);
  if (!account) return fail('invalid_client', 'unknown client');
  const jwt = form.get('client_assertion') ?? '';
  const parts = jwt.split('.');
  if (parts.length !== 3) return fail('invalid_client', 'malformed assertion');
  let header: { alg?: string; kid?: string };
  let claims: { iss?: string; sub?: string; aud?: string; iat?: number; exp?: number; jti?: string };
  try {
    header = JSON.parse(Buffer.from(parts[0] as string, 'base64url').toString());
    claims = JSON.parse(Buffer.from(parts[1] as string, 'base64url').toString());
  } catch {
    return fail('invalid_client', 'malformed assertion');
  }
  if (header.alg !== 'ES256' || header.kid !== account.keyId) return fail('invalid_client', 'unknown key');
  const ok = verify(
    'sha256',
    Buffer.from(`${parts[0]}.${parts[1]}`),
    { key: createPublicKey(account.publicKeyPem), dsaEncoding: 'ieee-p1363' },
    Buffer.from(parts[2] as string, 'base64url'),
  );
  if (!ok) return fail('invalid_client', 'bad signature');
  if (claims.aud !== ASM_ASSERTION_AUDIENCE) return fail('invalid_client', 'bad audience');
  if (claims.iss !== clientId || claims.sub !== clientId) return fail('invalid_client', 'bad issuer or subject');
  const nowSec = state.now() / 1000;
  if (typeof claims.exp !== 'number' || claims.exp <= nowSec) return fail('invalid_client', 'assertion expired');
  if (typeof claims.iat !== 'number' || (claims.exp - claims.iat) * 1000 >= MAX_ASSERTION_LIFETIME_MS) {
    return fail('invalid_client', 'assertion lifetime over 180 days');
  }
  if (!claims.jti) return fail('invalid_client', 'missing jti');
  const expected = clientId.startsWith('BUSINESSAPI.') ? 'business.api' : 'school.api';
  if (form.get('scope') !== expected) return fail('invalid_scope', `scope must be ${expected}`);
  const token = randomBytes(24).toString('base64url');
  state.tokens.set(token, { clientId, expiresAt: state.now() + state.config.accessTokenTtlSeconds * 1000 });
  return HttpResponse.json({
    access_token: token,
    token_type: 'Bearer',
    expires_in: state.config.accessTokenTtlSeconds,
    scope: expected,
  }) as unknown as Response;
}

function apiError(
  status: number,
  code: string,
  detail: string,
  headers: Record<string, string> = {},
  source?: Record<string, string>,
): Response {
  return HttpResponse.json(
    {
      errors: [
        {
          id: randomBytes(8).toString('hex'),
          status: String(status),
          code,
          title: code,
          detail,
          ...(source ? { source } : {}),
        },
      ],
    },
    { status, headers },
  ) as unknown as Response;
}

function unauthorized(): Response {
  return apiError(401, 'UNAUTHORIZED', 'Authentication credentials are missing or invalid.');
}

function tooMany(retryAfterSeconds: number): Response {
  return apiError(429, 'RATE_LIMIT_EXCEEDED', 'The request rate limit has been reached.', {
    'retry-after': String(retryAfterSeconds),
  });
}

function notFound(type: string, id: unknown): Response {
  return apiError(404, 'NOT_FOUND', `There is no resource of type '${type}' with id '${String(id)}'.`);
}

function sign(text: string): string {
  return createHmac('sha256', SIGNING_KEY).update(text).digest('hex').slice(0, 32);
}

function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
