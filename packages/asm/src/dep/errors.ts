/**
 * Typed errors for the Device Assignment API's error strings. Apple answers with bare tokens
 * (`T_C_NOT_SIGNED`, sometimes quoted) rather than JSON; each class says what the
 * administrator must do.
 *
 * @see https://developer.apple.com/documentation/devicemanagement/device-assignment
 */
import {
  ApiError,
  type ApiErrorInit,
  AuthenticationError,
  BadRequestError,
  type ErrorBodyParser,
  PermissionDeniedError,
  setErrorName,
} from '@schoolmdm/core';

/** The organisation has not accepted Apple's latest terms (403 `T_C_NOT_SIGNED`). Never retried. */
export class DepTermsNotSignedError extends PermissionDeniedError {
  static {
    setErrorName(this, 'DepTermsNotSignedError');
  }
}
/** The server token or its MDM server has no access (403 `ACCESS_DENIED`). Never retried. */
export class DepAccessDeniedError extends PermissionDeniedError {
  static {
    setErrorName(this, 'DepAccessDeniedError');
  }
}
/** The server token expired or was revoked (401 on `/session`). */
export class DepTokenExpiredError extends AuthenticationError {
  static {
    setErrorName(this, 'DepTokenExpiredError');
  }
}
/** The request body was not valid JSON for Apple (400 `MALFORMED_REQUEST_BODY`). */
export class DepMalformedRequestError extends BadRequestError {
  static {
    setErrorName(this, 'DepMalformedRequestError');
  }
}

/** Which cursor problem a {@link DepCursorError} is. */
export type DepCursorProblem = 'exhausted' | 'expired' | 'invalid' | 'required';

/**
 * A cursor error: `EXHAUSTED_CURSOR` (fetch is complete: switch to `devices.sync`),
 * `EXPIRED_CURSOR` (older than 7 days) or `INVALID_CURSOR` (both: fetch everything again),
 * `CURSOR_REQUIRED`.
 */
export class DepCursorError extends BadRequestError {
  static {
    setErrorName(this, 'DepCursorError');
  }

  /** Which cursor problem. */
  readonly problem: DepCursorProblem;

  constructor(init: ApiErrorInit & { problem: DepCursorProblem }) {
    super(init);
    this.problem = init.problem;
  }
}

/** Codes Apple uses, with how to fix each. Matched as substrings, as nanodep does (the simulator quotes them). */
const HINTS: [code: string, hint: string][] = [
  ['T_C_NOT_SIGNED', 'An administrator must sign in to Apple School Manager and accept the new terms and conditions.'],
  [
    'ACCESS_DENIED',
    'In Apple School Manager, check that this MDM server still exists and download a new server token for it.',
  ],
  ['EXHAUSTED_CURSOR', 'The fetch is complete: continue with devices.sync(cursor).'],
  ['EXPIRED_CURSOR', 'The cursor is older than 7 days: fetch every device again with devices.fetch().'],
  ['INVALID_CURSOR', 'The cursor is not valid: fetch every device again with devices.fetch().'],
  ['CURSOR_REQUIRED', 'Pass the cursor saved from devices.fetch().'],
  ['MALFORMED_REQUEST_BODY', 'The body was not valid JSON for Apple; report this as a bug of @schoolmdm/asm.'],
  ['PROFILE_NOT_FOUND', 'Define the profile first (profiles.define) and use the profile_uuid Apple returned.'],
  ['DEVICE_ID_REQUIRED', 'Pass at least one serial number.'],
  ['PROFILE_UUID_REQUIRED', 'Pass the profile UUID.'],
  ['USER_AGENT_MISSING', 'Send a User-Agent header (the client does unless userAgent is empty).'],
  ['USER_AGENT_INVALID', 'Use a plain product/version User-Agent.'],
  ['FLAGS_INVALID', 'is_mdm_removable: false needs is_supervised: true.'],
  ['CONFIG_NAME_REQUIRED', 'Give the profile a profile_name.'],
  ['CONFIG_NAME_INVALID', 'profile_name must be at most 125 UTF-8 characters.'],
  ['CONFIG_URL_REQUIRED', 'Give the profile the MDM enrolment url.'],
  ['CONFIG_URL_INVALID', 'The url must be at most 2000 URL-encoded characters.'],
  ['FORBIDDEN', 'The server token is no longer valid (its owner may have been deleted): download a new one.'],
  ['UNAUTHORIZED', 'The session expired; the client re-authenticates once on its own.'],
];

/** Reads DEP error strings (bare, quoted or inside text) into a code and a hint. */
export const parseDepErrorBody: ErrorBodyParser = ({ status, text, url }) => {
  if (status < 400) return undefined;
  if (/token_expired/i.test(text)) {
    return {
      code: 'TOKEN_EXPIRED',
      hint: 'The server token expired: download a new one from Apple School Manager (MDM server → Download Token).',
    };
  }
  if (/oauth_problem/i.test(text) && url.endsWith('/session')) {
    return {
      code: 'OAUTH_PROBLEM',
      message: text.slice(0, 120),
      hint: 'Apple refused the OAuth signature: the server token may be revoked or replaced; download a new one.',
    };
  }
  for (const [code, hint] of HINTS) if (text.includes(code)) return { code, hint };
  return undefined;
};

/** Turns a transport `ApiError` into the DEP error class for its code. */
export function toDepError(error: unknown): unknown {
  if (!(error instanceof ApiError)) return error;
  const init: ApiErrorInit = {
    status: error.status,
    method: error.method,
    url: error.url,
    code: error.code,
    requestId: error.requestId,
    body: error.bodyExcerpt,
    hint: error.hint,
    retryAfterMs: error.retryAfterMs,
  };
  switch (error.code) {
    case 'T_C_NOT_SIGNED':
      return new DepTermsNotSignedError(init);
    case 'ACCESS_DENIED':
      return new DepAccessDeniedError(init);
    case 'TOKEN_EXPIRED':
      return new DepTokenExpiredError(init);
    case 'MALFORMED_REQUEST_BODY':
      return new DepMalformedRequestError(init);
    case 'EXHAUSTED_CURSOR':
      return new DepCursorError({ ...init, problem: 'exhausted' });
    case 'EXPIRED_CURSOR':
      return new DepCursorError({ ...init, problem: 'expired' });
    case 'INVALID_CURSOR':
      return new DepCursorError({ ...init, problem: 'invalid' });
    case 'CURSOR_REQUIRED':
      return new DepCursorError({ ...init, problem: 'required' });
    default:
      return error;
  }
}
