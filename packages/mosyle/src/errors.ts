/**
 * Mosyle's own error: a failure the API reported with one of its status codes, usually
 * inside an HTTP 200 body whose outer `status` is `"OK"` (Mosyle's API docs).
 */
import { ApiError, type ApiErrorInit } from '@schoolmdm/core';

/**
 * Status codes Mosyle puts in its bodies (its API docs, plus codes JCSmillie/MOSBasic handles). The list is open: Mosyle adds
 * codes without notice, and any other string is kept as is.
 */
export type MosyleErrorCode =
  | 'Unauthorized'
  | 'accessToken Required'
  | 'Invalid accessToken'
  | 'MISSING_DATA'
  | 'INVALID_DATA'
  | 'INVALID_JSON'
  | 'ERROR'
  | 'NOT_ALLOWED'
  | 'ACCOUNT_NOTFOUND'
  | 'UNKNOWN_USER'
  | 'DEVICES_NOTFOUND'
  | 'INVALID_METHOD'
  | 'API_NOT_ENABLED'
  | 'LOGIN_NO_TOKEN'
  | (string & {});

/** What a {@link MosyleError} is built from. */
export interface MosyleErrorInit extends ApiErrorInit {
  /** Mosyle's status code (e.g. `INVALID_DATA`), also stored as `code`. */
  code: MosyleErrorCode;
}

/**
 * Mosyle reported a failure with its own status code (`MISSING_DATA`, `INVALID_DATA`,
 * `NOT_ALLOWED`, `Unauthorized`, …). `status` is the HTTP status the failure stands for
 * (401 for `Unauthorized`, 400 for bad data, 403 for `NOT_ALLOWED`, 404 for unknown
 * accounts/users/devices), even when Mosyle answered HTTP 200; `code` is Mosyle's code.
 *
 * It extends core's {@link ApiError}, so `catch (e) { if (e instanceof ApiError) … }` catches it
 * too. Like every SDK error it holds no secret: the access token, password and JWT never reach
 * it (messages and excerpts are redacted).
 *
 * @example
 * ```ts
 * try {
 *   await client.users.assignDevice([{ id: 'stu-1', serialNumber: 'DMPX1' }]);
 * } catch (err) {
 *   if (err instanceof MosyleError && err.code === 'INVALID_DATA') console.error(err.message);
 * }
 * ```
 */
export class MosyleError extends ApiError {
  declare readonly code: MosyleErrorCode;

  /** Builds a `MosyleError` with the same status, code, URL, request id and message as `error`. */
  static fromApiError(error: ApiError): MosyleError {
    const out = new MosyleError({
      status: error.status,
      method: error.method,
      url: error.url,
      code: error.code ?? 'ERROR',
      requestId: error.requestId,
      body: error.bodyExcerpt,
      retryAfterMs: error.retryAfterMs,
      hint: error.hint,
    });
    // Keep the transport's message (it carries Mosyle's `info`/`message`); already redacted.
    Object.defineProperty(out, 'message', {
      value: error.message,
      enumerable: false,
      writable: true,
      configurable: true,
    });
    if (out.stack) out.stack = `${out.name}: ${error.message}${out.stack.slice(out.stack.indexOf('\n'))}`;
    return out;
  }
}
