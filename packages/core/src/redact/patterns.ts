/**
 * The words that make a header, query parameter, JSON field or plist key secret, and the
 * regular expressions built from them. Kept apart from `redact.ts` so the list is easy to
 * review: anything whose *name* means a credential is masked, whatever the API calls it
 * (`accessToken`, `access_token`, `auth_session_token`, `client_assertion`, `sToken`,
 * `consumer_secret`, `oauth_signature`, `X-ADM-Auth-Session`, `Set-Cookie`…).
 *
 * @see https://github.com/octokit/request-error.js/blob/main/src/index.ts (redacted request copy)
 * @see https://github.com/axios/axios/issues/6919 (the leak this prevents)
 */

/**
 * Name fragments that mark a value as secret. Matched case-insensitively anywhere in a name,
 * with `-`, `_` or nothing between the words of a fragment.
 */
export const SECRET_NAME_FRAGMENTS = [
  'token',
  'secret',
  'passw(?:or)?d',
  'passphrase',
  'assertion',
  'authorization',
  'cookie',
  'api[-_]?key',
  'private[-_]?key',
  'consumer[-_]?key',
  'escrow[-_]?key',
  'signature',
  'session',
  'sessid',
  'credential',
] as const;

/** Short names that are secret only when they are the whole name (`key`, `pin`, `jwt`…). */
export const SECRET_EXACT_NAMES = ['auth', 'key', 'pin', 'pass', 'jwt', 'bearer'] as const;

const fragment = SECRET_NAME_FRAGMENTS.join('|');
const exact = new RegExp(`^(?:${SECRET_EXACT_NAMES.join('|')})$`, 'i');
const contains = new RegExp(`(?:${fragment})`, 'i');

/** True when a header, parameter or field called `name` holds a secret. */
export function isSecretName(name: string): boolean {
  return contains.test(name) || exact.test(name.replace(/[^a-z0-9]/gi, ''));
}

/** `-----BEGIN X-----…-----END X-----`, or an unterminated block cut by an excerpt. */
export const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]{1,64})-----[\s\S]*?(?:-----END \1-----|$)/g;

/** `Authorization: …`-style header lines in free text (logs, error bodies, curl dumps). */
export const HEADER_LINE =
  /\b((?:proxy-)?authorization|set-cookie|cookie|x-adm-auth-session|x-api-key|api-key|accesstoken)([ \t]*:[ \t]*)[^\r\n]*/gi;

/**
 * `Bearer <token>` (any case: `bearer` appears in logs and curl dumps), `Basic <b64>`,
 * `Digest …`, `OAuth …` anywhere. Only `Bearer` is matched in lower case: "basic" is an
 * ordinary English word.
 */
export const AUTH_SCHEME = /\b([Bb][Ee][Aa][Rr][Ee][Rr]|Basic|Digest|OAuth)([ \t]+)(?!\[REDACTED)[A-Za-z0-9._~+/=-]+/g;

/**
 * Query parameters that are secret only in a URL: an OAuth authorization `code` (RFC 6749
 * §4.1.2) and a presigned URL's `sig`. In a JSON body `code` is an error code and stays.
 */
export const URL_QUERY_SECRET = /([?&;](?:code|sig)=)(?!\[REDACTED)[^&#\s"'<>]+/gi;

/**
 * A URL path segment that follows a secret-named segment (`/token/abc123`, `/sessions/xyz`,
 * `/api-key/…`): such paths carry the credential itself.
 */
export const PATH_SECRET = new RegExp(
  `(/[A-Za-z0-9_.-]{0,64}(?:${SECRET_NAME_FRAGMENTS.join('|')})[A-Za-z0-9_.-]{0,64}/)(?!\\[REDACTED)([^/?#\\s"'<>]+)`,
  'gi',
);

/**
 * A secret-named JSON key whose value is an object or an array (`"token":{"value":"…"}`,
 * `"tokens":["A","B"]`): the whole structure is masked (see `maskStructuredValues`).
 */
export const KEY_BEFORE_STRUCTURE = new RegExp(
  `(\\\\?["'])([A-Za-z0-9_.-]{0,64}(?:${SECRET_NAME_FRAGMENTS.join('|')})[A-Za-z0-9_.-]{0,64}|(?:${SECRET_EXACT_NAMES.join('|')}))\\1[ \\t\\r\\n]*:[ \\t\\r\\n]*(?=[{[])`,
  'gi',
);

/** A JWT (or the first two segments of one cut by an excerpt): base64url JSON starts with `eyJ`. */
export const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*)?/g;

/** The password in `scheme://user:password@host`. */
export const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^/\s:@]+):([^/\s@]+)@/gi;

/**
 * A secret-named key followed by `:` or `=` and a value, in JSON (`"accessToken": "…"`),
 * escaped JSON (`\"password\":\"…\"`), query strings and form bodies (`client_secret=…`) or
 * loose text (`token: …`). The key is bounded to 64 characters either side of the secret
 * word so that a long base64 blob cannot make the search quadratic, and may not follow `/`
 * or `.` so that host names and paths (`https://token.example:443/`) are left alone. Groups: 1 key,
 * 2 separator, 3 opening quote, 4 quoted content, 5 closing quote (empty when an excerpt cut
 * the value), 6 unquoted value.
 */
export const KEY_VALUE = new RegExp(
  `(?<![A-Za-z0-9_./-])([A-Za-z0-9_.-]{0,64}(?:${fragment})[A-Za-z0-9_.-]{0,64}|\\b(?:${SECRET_EXACT_NAMES.join('|')})\\b)` +
    `(\\\\?["']?[ \\t\\r\\n]*[:=][ \\t]*)` +
    `(?:(\\\\?["'])((?:\\\\.|[^\\\\])*?)(\\3|$)|([^\\s"'&,;}\\]<>]+))`,
  'gi',
);

/** `<key>Password</key><string>…</string>` in a plist. */
export const PLIST_KEY = /(<key>\s*([^<]{1,100}?)\s*<\/key>\s*<(string|data)>)([\s\S]*?)(<\/\3>)/g;
