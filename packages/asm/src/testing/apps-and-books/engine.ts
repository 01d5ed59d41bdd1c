/**
 * The simulated Apps and Books service, independent of msw: a request in, a status and JSON body
 * out. Behaviour follows Apple's pages (https://developer.apple.com/documentation/devicemanagement/service-config
 * and its siblings) and what fleetdm/fleet and zentral observed: Bearer content token (unknown
 * token → 9622 with HTTP 200), zero-based `pageIndex` with `nextPageIndex`/`totalPages`/
 * `versionId`, a sliding one-second window of `maxRequestPerSecond` (9646), asynchronous
 * associate/disassociate events with per-serial failures, and injectable error bodies.
 */
import { APPS_AND_BOOKS_ERRORS } from '../../apps-and-books/catalogue.js';
import type { AppsAndBooksSimulatorState, SimulatedAsset, SimulatedEvent, SimulatedEventFailure } from './state.js';

/** A request as the engine sees it. */
export interface EngineRequest {
  method: string;
  /** Path after the base URL, without a leading slash, e.g. `assets/associate`. */
  path: string;
  query: URLSearchParams;
  authorization: string | null;
  contentType: string | null;
  /** Raw body text. */
  body: string;
}

/** What the engine answers. */
export interface EngineResponse {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

const ENDPOINTS: Record<string, string> = {
  'service/config': 'GET',
  assets: 'GET',
  assignments: 'GET',
  'assets/associate': 'POST',
  'assets/disassociate': 'POST',
  status: 'GET',
};

/** The endpoint paths the simulator serves. */
export const SIMULATED_PATHS: readonly string[] = Object.keys(ENDPOINTS);

/** Answers one request, updating `state` (request log, rate window, events, assignments). */
export function handle(state: AppsAndBooksSimulatorState, req: EngineRequest, now: number): EngineResponse {
  settleEvents(state, now);
  const entry = {
    method: req.method,
    path: req.path,
    query: Object.fromEntries(req.query),
    at: now,
    status: 0,
    errorNumber: undefined as number | undefined,
    authenticated: req.authorization !== null && /^Bearer\s+\S/i.test(req.authorization),
  };
  state.requests.push(entry);
  const response = answer(state, req, now);
  entry.status = response.status;
  const n = response.body.errorNumber;
  if (typeof n === 'number') entry.errorNumber = n;
  else delete (entry as { errorNumber?: number }).errorNumber;
  return response;
}

function answer(state: AppsAndBooksSimulatorState, req: EngineRequest, now: number): EngineResponse {
  // Sliding window: at most maxRequestPerSecond requests start in any 1,000 ms.
  const window = state.recentRequests.filter((t) => t > now - 1000);
  window.push(now);
  state.recentRequests = window;
  const rate = state.limits.maxRequestPerSecond ?? 15;
  if (window.length > rate) return error(9646, state.rateLimitStatus);

  const faultIndex = state.faults.findIndex(
    (f) =>
      (f.path === undefined || f.path === req.path) &&
      (f.method === undefined || f.method.toUpperCase() === req.method),
  );
  if (faultIndex !== -1) {
    const fault = state.faults[faultIndex] as (typeof state.faults)[number];
    const times = (fault.times ?? 1) - 1;
    if (times <= 0) state.faults.splice(faultIndex, 1);
    else fault.times = times;
    const response = error(fault.errorNumber, fault.status ?? 200, fault.errorMessage);
    if (fault.retryAfter !== undefined) response.headers = { 'retry-after': String(fault.retryAfter) };
    return response;
  }

  const method = ENDPOINTS[req.path];
  if (method === undefined) return { status: 404, body: { errorMessage: 'Not Found' } };
  if (method !== req.method) return error(9726);
  if (req.path === 'service/config') return ok(serviceConfig(state));

  const auth = authenticate(state, req.authorization, now);
  if ('status' in auth) return auth;
  const common: Record<string, unknown> = { uId: state.uId };
  if (auth.expiresAt - now < 15 * 86_400_000) common.tokenExpirationDate = appleDate(auth.expiresAt);

  switch (req.path) {
    case 'assets':
      return listAssets(state, req.query, common);
    case 'assignments':
      return listAssignments(state, req.query, common);
    case 'status':
      return eventStatus(state, req.query, common);
    default:
      return manage(state, req, now, common, req.path === 'assets/associate' ? 'ASSOCIATE' : 'DISASSOCIATE');
  }
}

function authenticate(
  state: AppsAndBooksSimulatorState,
  header: string | null,
  now: number,
): EngineResponse | { expiresAt: number } {
  const m = header === null ? null : /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!m) return error(9722);
  const token = state.tokens[m[1] as string];
  // Apple answers an unknown token with HTTP 200 and 9622 (fleetdm/fleet vpp/api.go).
  if (!token) return error(9622, 200);
  if (token.revoked) return error(9625);
  const expiresAt = Date.parse(token.expiresAt);
  if (!(expiresAt > now)) return error(9621);
  return { expiresAt };
}

function serviceConfig(state: AppsAndBooksSimulatorState): Record<string, unknown> {
  return {
    errorCodes: Object.entries(APPS_AND_BOOKS_ERRORS).map(([n, e]) => ({
      errorNumber: Number(n),
      errorMessage: e.message,
    })),
    limits: { ...state.limits },
    notificationTypes: ['ASSET_MANAGEMENT', 'ASSET_COUNT', 'USER_MANAGEMENT', 'USER_ASSOCIATED'],
    urls: {
      contentMetadataLookup: 'https://uclient-api.itunes.apple.com/WebObjects/MZStorePlatform.woa/wa/lookup',
    },
  };
}

/** Licences in use per `adamId/pricingParam`. */
function usage(state: AppsAndBooksSimulatorState): Map<string, number> {
  const used = new Map<string, number>();
  for (const a of state.assignments) {
    const key = `${a.adamId}/${a.pricingParam}`;
    used.set(key, (used.get(key) ?? 0) + 1);
  }
  return used;
}

function assetView(asset: SimulatedAsset, used: Map<string, number>): Record<string, unknown> {
  const pricingParam = asset.pricingParam ?? 'STDQ';
  const assignedCount = used.get(`${asset.adamId}/${pricingParam}`) ?? 0;
  const retiredCount = asset.retiredCount ?? 0;
  return {
    adamId: asset.adamId,
    assignedCount,
    availableCount: Math.max(0, asset.totalCount - assignedCount - retiredCount),
    deviceAssignable: asset.deviceAssignable ?? true,
    pricingParam,
    productType: asset.productType ?? 'App',
    retiredCount,
    revocable: asset.revocable ?? true,
    supportedPlatforms: asset.supportedPlatforms ?? ['iOS', 'iPadOS'],
    totalCount: asset.totalCount,
  };
}

function listAssets(
  state: AppsAndBooksSimulatorState,
  q: URLSearchParams,
  common: Record<string, unknown>,
): EngineResponse {
  const used = usage(state);
  const bool = (name: string): boolean | undefined => (q.has(name) ? q.get(name) === 'true' : undefined);
  const deviceAssignable = bool('deviceAssignable');
  const revocable = bool('revocable');
  const minAvailable = q.has('minAvailableCount') ? Number(q.get('minAvailableCount')) : undefined;
  const maxAvailable = q.has('maxAvailableCount') ? Number(q.get('maxAvailableCount')) : undefined;
  const rows = state.assets
    .map((a) => assetView(a, used))
    .filter(
      (a) =>
        (!q.has('adamId') || a.adamId === q.get('adamId')) &&
        (!q.has('pricingParam') || a.pricingParam === q.get('pricingParam')) &&
        (!q.has('productType') || a.productType === q.get('productType')) &&
        (deviceAssignable === undefined || a.deviceAssignable === deviceAssignable) &&
        (revocable === undefined || a.revocable === revocable) &&
        (minAvailable === undefined || (a.availableCount as number) >= minAvailable) &&
        (maxAvailable === undefined || (a.availableCount as number) <= maxAvailable),
    );
  return page(state, q, rows, 'assets', common);
}

function listAssignments(
  state: AppsAndBooksSimulatorState,
  q: URLSearchParams,
  common: Record<string, unknown>,
): EngineResponse {
  let since: number | undefined;
  if (q.has('sinceVersionId')) {
    since = Number(q.get('sinceVersionId'));
    if (!Number.isInteger(since)) return error(9602, 400, 'Invalid sinceVersionId');
  }
  const adamId = q.get('adamId');
  const serialNumber = q.get('serialNumber');
  const clientUserId = q.get('clientUserId');
  // Filter by reference; row objects are built for the served page only (20,000 assignments
  // would otherwise be copied on every request).
  const rows = state.assignments.filter(
    (a) =>
      (adamId === null || a.adamId === adamId) &&
      (serialNumber === null || a.serialNumber === serialNumber) &&
      (clientUserId === null || a.clientUserId === clientUserId) &&
      (since === undefined || a.versionId > since),
  );
  return page(state, q, rows, 'assignments', common, (a) => {
    const row: Record<string, unknown> = { adamId: a.adamId, pricingParam: a.pricingParam };
    if (a.serialNumber !== undefined) row.serialNumber = a.serialNumber;
    if (a.clientUserId !== undefined) row.clientUserId = a.clientUserId;
    return row;
  });
}

function page<T>(
  state: AppsAndBooksSimulatorState,
  q: URLSearchParams,
  rows: readonly T[],
  key: string,
  common: Record<string, unknown>,
  render: (row: T) => unknown = (row) => row,
): EngineResponse {
  const raw = q.get('pageIndex') ?? '0';
  const pageIndex = /^\d+$/.test(raw) ? Number(raw) : -1;
  const size = state.pageSize;
  const totalPages = Math.max(1, Math.ceil(rows.length / size));
  if (pageIndex < 0 || pageIndex >= totalPages) return error(9650);
  const body: Record<string, unknown> = {
    [key]: rows.slice(pageIndex * size, (pageIndex + 1) * size).map(render),
    currentPageIndex: pageIndex,
    size,
    totalPages,
    versionId: String(state.version),
    ...common,
  };
  if (pageIndex + 1 < totalPages) body.nextPageIndex = pageIndex + 1;
  return ok(body);
}

function eventStatus(
  state: AppsAndBooksSimulatorState,
  q: URLSearchParams,
  common: Record<string, unknown>,
): EngineResponse {
  const event = state.events[q.get('eventId') ?? ''];
  if (!event) return error(9708);
  const body: Record<string, unknown> = {
    eventStatus: event.eventStatus,
    eventType: event.eventType,
    numCompleted: event.numCompleted,
    numRequested: event.numRequested,
    ...common,
  };
  if (event.failures.length > 0) body.failures = event.failures;
  return ok(body);
}

function manage(
  state: AppsAndBooksSimulatorState,
  req: EngineRequest,
  now: number,
  common: Record<string, unknown>,
  eventType: 'ASSOCIATE' | 'DISASSOCIATE',
): EngineResponse {
  if (!req.contentType?.toLowerCase().startsWith('application/json')) return error(9727);
  let body: { assets?: unknown; serialNumbers?: unknown; clientUserIds?: unknown };
  try {
    body = JSON.parse(req.body) as typeof body;
  } catch {
    return error(9602, 400, 'The request body is not JSON');
  }
  if (!Array.isArray(body?.assets) || body.assets.length === 0) return error(9602, 400, 'assets is required');
  if (!Array.isArray(body.serialNumbers) || body.serialNumbers.length === 0) {
    return error(9602, 400, 'serialNumbers is required');
  }
  const limits = state.limits;
  if (body.assets.length > (limits.maxAssets ?? 25)) return error(9700);
  if (body.serialNumbers.length > (limits.maxSerialNumbers ?? 1000)) return error(9702);
  const assets: SimulatedEvent['assets'] = [];
  const assetKeys = new Set<string>();
  for (const a of body.assets as { adamId?: unknown; pricingParam?: unknown }[]) {
    const adamId = String(a?.adamId ?? '');
    const pricingParam = a?.pricingParam === 'PLUS' ? 'PLUS' : 'STDQ';
    const key = `${adamId}/${pricingParam}`;
    if (assetKeys.has(key)) return error(9703);
    assetKeys.add(key);
    const known = state.assets.find((s) => s.adamId === adamId && (s.pricingParam ?? 'STDQ') === pricingParam);
    if (!known) return error(9602, 400, `Asset ${adamId} (${pricingParam}) not found`);
    if (eventType === 'ASSOCIATE' && known.deviceAssignable === false) return error(9707);
    assets.push({ adamId, pricingParam });
  }
  const serials = body.serialNumbers.map(String);
  if (new Set(serials).size !== serials.length) return error(9705);
  const eventId = `${state.nextEventId++}`;
  state.events[eventId] = {
    eventId,
    eventType,
    eventStatus: 'PENDING',
    createdAt: now,
    completesAt: now + state.eventDelayMs,
    assets,
    serialNumbers: serials,
    numRequested: assets.length * serials.length,
    numCompleted: 0,
    failures: [],
  };
  settleEvents(state, now);
  return ok({ eventId, ...common });
}

/** Processes every `PENDING` event due at `now` (all of them with `now = Infinity`), in order. */
export function settleEvents(state: AppsAndBooksSimulatorState, now: number): void {
  for (const event of Object.values(state.events)) {
    if (event.eventStatus !== 'PENDING' || event.completesAt > now) continue;
    run(state, event);
  }
}

function run(state: AppsAndBooksSimulatorState, event: SimulatedEvent): void {
  const failures = new Map<string, SimulatedEventFailure>();
  const fail = (errorNumber: number, asset: SimulatedEvent['assets'][number], serial: string): void => {
    const key = `${errorNumber}/${asset.adamId}/${asset.pricingParam}`;
    let f = failures.get(key);
    if (!f) {
      f = {
        errorNumber,
        errorMessage: APPS_AND_BOOKS_ERRORS[errorNumber]?.message ?? 'Error',
        errorInfo: { assets: [{ ...asset }], serialNumbers: [] },
      };
      failures.set(key, f);
    }
    f.errorInfo.serialNumbers.push(serial);
  };
  let completed = 0;
  for (const asset of event.assets) {
    const spec = state.assets.find(
      (a) => a.adamId === asset.adamId && (a.pricingParam ?? 'STDQ') === asset.pricingParam,
    );
    for (const serial of event.serialNumbers) {
      const injected = state.deviceFailures[serial];
      if (injected !== undefined) {
        fail(injected, asset, serial);
        continue;
      }
      const index = state.assignments.findIndex(
        (a) => a.adamId === asset.adamId && a.pricingParam === asset.pricingParam && a.serialNumber === serial,
      );
      if (event.eventType === 'DISASSOCIATE') {
        if (index !== -1) {
          state.assignments.splice(index, 1);
          state.version++;
        }
        completed++;
        continue;
      }
      if (index !== -1) {
        completed++;
        continue;
      }
      const inUse = state.assignments.filter(
        (a) => a.adamId === asset.adamId && a.pricingParam === asset.pricingParam,
      ).length;
      const total = (spec?.totalCount ?? 0) - (spec?.retiredCount ?? 0);
      if (inUse >= total) {
        fail(9709, asset, serial);
        continue;
      }
      state.version++;
      state.assignments.push({ ...asset, serialNumber: serial, versionId: state.version });
      completed++;
    }
  }
  event.numCompleted = completed;
  event.failures = [...failures.values()];
  event.eventStatus = event.failures.length > 0 ? 'FAILED' : 'COMPLETE';
}

function ok(body: Record<string, unknown>): EngineResponse {
  return { status: 200, body };
}

function error(errorNumber: number, status?: number, message?: string): EngineResponse {
  const known = APPS_AND_BOOKS_ERRORS[errorNumber];
  return {
    status: status ?? known?.status ?? 400,
    body: { errorNumber, errorMessage: message ?? known?.message ?? 'Error' },
  };
}

/** `2026-12-03T16:07:45+0000`: Apple's format for `tokenExpirationDate` (no colon, no `Z`). */
export function appleDate(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}+0000`;
}
