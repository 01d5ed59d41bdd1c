/**
 * Normalising Mosyle's response envelopes (as Mosyle's API docs show them): `response` as an object or
 * as an array holding one page, results not under `response` at all (`elements`, `devices`,
 * `uuid`), `rows` as a string or a number, and failures reported by an inner `status` while the
 * outer one says `"OK"`.
 */
import type { ErrorBodyContext, ServiceErrorInfo } from '@schoolmdm/core';

/** One page of a listing, whatever envelope it came in. */
export interface NormalizedPage {
  /** The rows under `key` (empty when missing). */
  items: unknown[];
  /** `rows` (total count) as a number, when present and numeric. */
  rows: number | undefined;
  /** `page` echoed by the server, as a number, when present. */
  page: number | undefined;
  /** Inner `status` (e.g. `DEVICES_NOTFOUND`), when present. */
  status: string | undefined;
}

/** Inner statuses that report a failure (Mosyle's docs; `Unauthorized` as JCSmillie/MOSBasic sees it). `DEVICES_NOTFOUND` is handled per call. */
const FAILURE_STATUS: Record<string, { status: number; hint: string }> = {
  Unauthorized: { status: 401, hint: 'The JWT expired or was revoked; the client logs in again once.' },
  'accessToken Required': {
    status: 401,
    hint: 'Pass the API access token (My School > Integrations > Mosyle API Integration).',
  },
  'Invalid accessToken': {
    status: 401,
    hint: 'The access token is wrong or was renewed (renewing revokes the old one); copy the current one from My School > Integrations.',
  },
  MISSING_DATA: { status: 400, hint: 'A required field is missing from the request; see the message for which one.' },
  INVALID_DATA: { status: 400, hint: 'A field has an invalid value; see the message for which one.' },
  INVALID_JSON: { status: 400, hint: 'Mosyle could not read the request body as JSON.' },
  NOT_ALLOWED: {
    status: 403,
    hint: 'The admin account or the plan may not do this (district-only operations, or no API access without Mosyle Manager Premium).',
  },
  API_NOT_ENABLED: {
    status: 403,
    hint: 'API access needs Mosyle Manager Premium; on the free tier use the SDK’s CSV path instead.',
  },
  ACCOUNT_NOTFOUND: { status: 404, hint: 'Check the district account id (idaccount / AccountID).' },
  UNKNOWN_USER: {
    status: 404,
    hint: 'Check the user id: it is the school’s id (e.g. "stu-1"), not Mosyle’s internal id.',
  },
  INVALID_METHOD: { status: 405, hint: 'Mosyle accepts only POST.' },
  ERROR: { status: 422, hint: 'Mosyle refused the operation; see the message.' },
};

/** The code and HTTP status a Mosyle failure code stands for, or `undefined` for a success code. */
export function failureOf(code: string | undefined): { status: number; hint: string } | undefined {
  return code === undefined ? undefined : FAILURE_STATUS[code];
}

/** True for a code this client maps to {@link MosyleError}. */
export function isMosyleCode(code: string | undefined): boolean {
  return code !== undefined && (code in FAILURE_STATUS || code === 'DEVICES_NOTFOUND');
}

/** `response` as one object: an object as is, or the first element of a one-element array. */
export function unwrap(value: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(value)) return value.length > 0 ? asObject(value[0]) : undefined;
  return asObject(value);
}

/** `value` when it is a plain object. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** A number from a number or a numeric string (`rows: "1328"`), else `undefined`. */
export function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

/**
 * Reads one page of a listing (rows under the first of `key` present): `{response: {<key>: [...], rows, page}}`,
 * `{response: [{<key>: [...], rows, page}]}`, or a top-level `{<key>: [...]}` (Business-era and
 * drifted replies).
 */
export function readPage(body: unknown, key: string | readonly string[]): NormalizedPage {
  const keys = typeof key === 'string' ? [key] : key;
  const top = asObject(body) ?? {};
  const inner = unwrap(top.response) ?? (keys.some((k) => Array.isArray(top[k])) ? top : {});
  const found = keys.find((k) => Array.isArray(inner[k]));
  const rawItems = found === undefined ? undefined : inner[found];
  return {
    items: Array.isArray(rawItems) ? rawItems : [],
    rows: toNumber(inner.rows ?? inner.total_rows),
    page: toNumber(inner.page),
    // The outer `status: "OK"` of a top-level list is not an inner status.
    status: typeof inner.status === 'string' && inner.status !== 'OK' ? inner.status : undefined,
  };
}

/** The result objects of a command (`response: [{status, info, devices_notfound}]`), wrapped or not. */
export function readResults(body: unknown): Record<string, unknown>[] {
  const top = asObject(body) ?? {};
  const r = top.response;
  if (Array.isArray(r)) return r.map((x) => asObject(x) ?? {});
  const one = asObject(r);
  return one ? [one] : [];
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The failure code named in a body or text (for non-JSON replies such as `Unauthorized`). */
function codeInText(t: string): string | undefined {
  const s = t.trim().replace(/^"|"$/g, '');
  for (const code of ['accessToken Required', 'Invalid accessToken', 'Unauthorized']) {
    if (s.toLowerCase().includes(code.toLowerCase())) return code;
  }
  return undefined;
}

/**
 * The transport's `parseErrorBody` hook for Mosyle: turns failures that Mosyle reports in
 * HTTP 200 bodies into errors with the HTTP status they stand for, and reads Mosyle's codes
 * out of non-2xx bodies (`{"error":"accessToken Required"}`, `Unauthorized`, `{"status":405,
 * "message":"INVALID_METHOD"}`).
 *
 * Not treated as failures here: `DEVICES_NOTFOUND` on a listing (the end of the list) and
 * per-item statuses of a batch (`elements[].status`, several command results), which the
 * client reports per item.
 */
export function parseMosyleErrorBody(context: ErrorBodyContext): ServiceErrorInfo | undefined {
  const { body, status } = context;
  const ok = status >= 200 && status < 300;
  if (typeof body === 'string') {
    const code = codeInText(body);
    if (code) return { code, message: body.trim().slice(0, 200), ...pick(code, ok ? undefined : status) };
    return undefined;
  }
  const top = asObject(body);
  if (!top) return undefined;
  const outer = top.status;
  const message = text(top.message) ?? text(top.info) ?? text(top.error);
  // Non-2xx: a Mosyle code if we can name one; otherwise the core default parser reads it.
  if (!ok) {
    const named =
      (typeof top.error === 'string' ? (codeInText(top.error) ?? top.error) : undefined) ??
      (typeof outer === 'string' && outer !== 'OK' ? outer : undefined) ??
      (text(top.message) && failureOf(text(top.message)) ? text(top.message) : undefined) ??
      (message ? codeInText(message) : undefined);
    if (named === undefined) return undefined;
    return { code: named, message, ...pick(named, status) };
  }
  // 2xx with an outer failure status (`{"status":"ERROR","message":…}`).
  if (typeof outer === 'string' && outer !== 'OK' && outer.toLowerCase() !== 'success') {
    const code = (message && codeInText(message)) ?? outer;
    return { code, message, ...pick(code, undefined, 422) };
  }
  // 2xx, outer OK: a failure in the one inner result (object or one-element array).
  const r = top.response;
  const inner = Array.isArray(r) ? (r.length === 1 ? asObject(r[0]) : undefined) : asObject(r);
  if (inner && typeof inner.status === 'string') {
    const code = inner.status;
    const info = failureOf(code);
    // `ERROR` with `devices_notfound` is a per-device result, not a failed call.
    const perDevice = code === 'ERROR' && Array.isArray(inner.devices_notfound) && inner.devices_notfound.length > 0;
    if (info && !perDevice) {
      return { code, message: text(inner.info) ?? text(inner.message) ?? code, status: info.status, hint: info.hint };
    }
  }
  return undefined;
}

function pick(code: string, httpStatus: number | undefined, fallback?: number): { status?: number; hint?: string } {
  const info = failureOf(code);
  if (!info) return fallback === undefined ? {} : { status: fallback };
  return { status: httpStatus ?? info.status, hint: info.hint };
}
