/**
 * The Apps and Books content token (`sToken`, the `*.vpptoken` file).
 *
 * The file is Base64 of a JSON object `{ token, expDate, orgName }` (Apple, "Getting started
 * with the management API"); Apple's own example decodes to pretty-printed JSON. The Bearer value
 * for the Apps and Books API is the *whole* file, not the inner `token` (Fleet and petarov's
 * client send the raw file content).
 *
 * @see https://developer.apple.com/documentation/devicemanagement/getting-started-with-the-management-api
 */
import { SecretValue } from '@schoolmdm/core';
import { ExpiredError, MalformedInputError } from '../errors.js';
import { BOOLEAN_RULE, checkArgument, checkOptions, DATE_RULE, INPUT_RULE, isPlainObject } from '../internal/args.js';
import { guardInput } from '../internal/guard.js';
import { asText, decodeBase64Strict } from '../internal/pem.js';
import { type PublicView, REDACTED, RedactedValue } from '../internal/redact.js';
import { parseAppleDate } from './apple-date.js';

const WHAT = 'content token';

/**
 * A parsed content token. `token` is the Bearer value (secret); `String()`, `JSON.stringify`
 * and `util.inspect` show `[REDACTED]` for it.
 */
export class ContentToken extends RedactedValue {
  /** The organisation (or location) the token belongs to, as Apple wrote it. */
  readonly orgName: string;
  /** When the token expires (`expDate`), one year after download. */
  readonly expiresAt: Date;
  readonly #token: SecretValue;

  /** @internal Use `parseContentToken`. */
  constructor(fields: { token: string; orgName: string; expiresAt: Date }) {
    super('ContentToken');
    checkArgument('fields', fields, { expected: '{ token, orgName, expiresAt }', test: isPlainObject, required: true });
    checkArgument('fields.token', fields.token, {
      expected: 'a non-empty string',
      test: (v) => typeof v === 'string' && v !== '',
      required: true,
    });
    checkArgument('fields.orgName', fields.orgName, {
      expected: 'a string',
      test: (v) => typeof v === 'string',
      required: true,
    });
    checkArgument('fields.expiresAt', fields.expiresAt, { ...DATE_RULE, required: true });
    this.#token = SecretValue.from(fields.token);
    this.orgName = fields.orgName;
    this.expiresAt = new Date(fields.expiresAt.getTime());
  }

  /**
   * The whole content-token file, trimmed: send it as `Authorization: Bearer <token>` to the
   * Apps and Books API. Secret: never log it.
   */
  get token(): string {
    return this.#token.reveal();
  }

  /**
   * True when `expiresAt` is at or before `now`.
   * @default now = new Date()
   */
  isExpired(now: Date = new Date()): boolean {
    checkArgument('now', now, DATE_RULE);
    return this.expiresAt.getTime() <= now.getTime();
  }

  protected publicView(): PublicView {
    return { orgName: this.orgName, expiresAt: this.expiresAt, token: REDACTED };
  }
}

/** Options of `parseContentToken`. */
export interface ParseContentTokenOptions {
  /**
   * Throw `ExpiredError` when the token has expired, instead of returning it.
   * @default false
   */
  rejectExpired?: boolean;
  /**
   * The current time, for `rejectExpired`.
   * @default new Date()
   */
  now?: Date;
}

/**
 * Parses an Apps and Books content token (`*.vpptoken`, downloaded in Apple School Manager under
 * Settings → Apps and Books).
 *
 * Tolerates a BOM, surrounding whitespace and CRLF. `expDate` may end in `Z`, `±HH:MM`, `±HHMM`
 * (Apple's `2030-11-08T22:33:22+0000`) or `±HH`. An expired token still parses unless
 * `rejectExpired` is set.
 *
 * @returns `{ token, orgName, expiresAt }` where `token` is the whole trimmed file: the Bearer value.
 * @throws `MalformedInputError` naming what is wrong (never quoting the token), `ExpiredError`
 *   with `rejectExpired`.
 * @example
 * ```ts
 * const { token, orgName, expiresAt } = parseContentToken(readFileSync('school.vpptoken'));
 * await fetch('https://vpp.itunes.apple.com/mdm/v2/client/config', {
 *   headers: { Authorization: `Bearer ${token}` },
 * });
 * ```
 */
export function parseContentToken(input: string | Uint8Array, options: ParseContentTokenOptions = {}): ContentToken {
  checkArgument('input', input, INPUT_RULE, 'Pass the .vpptoken file content.');
  const checked = checkOptions('options', options, {
    rejectExpired: BOOLEAN_RULE,
    now: DATE_RULE,
  }) as ParseContentTokenOptions;
  return guardInput(WHAT, () => parse(input, checked));
}

function parse(input: string | Uint8Array, options: ParseContentTokenOptions): ContentToken {
  const text = asText(input)
    .replace(/^\uFEFF/, '')
    .trim();
  if (text.startsWith('{')) {
    throw new MalformedInputError(WHAT, 'this is decoded JSON, not the token file', {
      hint: 'Pass the .vpptoken file exactly as downloaded (Base64 text): it is also the Bearer value.',
    });
  }
  // Base64 ignores line breaks, an HTTP header cannot hold them: a wrapped file becomes one line.
  const token = text.replace(/\s+/g, '');
  const json = decodeJson(decodeBase64Strict(token, WHAT));
  const orgName = requireString(json, 'orgName');
  requireString(json, 'token');
  const expDate = requireString(json, 'expDate');
  const expiresAt = parseAppleDate(expDate);
  if (!expiresAt) {
    const shown = /^[0-9A-Za-z:+.\- ]{1,40}$/.test(expDate) ? ` ("${expDate}")` : '';
    throw new MalformedInputError(WHAT, `"expDate"${shown} is not an ISO 8601 date-time`, {
      hint: 'Expected a value like 2030-11-08T22:33:22+0000; download the token again.',
    });
  }
  const result = new ContentToken({ token, orgName, expiresAt });
  if (options.rejectExpired && result.isExpired(options.now ?? new Date())) {
    throw new ExpiredError(`Content token of "${orgName}"`, expiresAt, {
      hint: 'Download a new content token in Apple School Manager under Settings → Apps and Books.',
    });
  }
  return result;
}

function decodeJson(bytes: Uint8Array): Record<string, unknown> {
  let value: unknown;
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
    value = JSON.parse(text);
  } catch {
    // Never pass on the SyntaxError: V8 quotes the input in it.
    throw new MalformedInputError(WHAT, 'the Base64 does not decode to JSON', {
      hint: 'Pass the .vpptoken file downloaded from Apple School Manager (Settings → Apps and Books).',
    });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedInputError(WHAT, 'the decoded JSON is not an object');
  }
  return value as Record<string, unknown>;
}

function requireString(json: Record<string, unknown>, name: string): string {
  const v = json[name];
  if (typeof v === 'string' && v.trim().length > 0) return v;
  const problem =
    v === undefined
      ? 'is missing'
      : typeof v === 'string'
        ? 'is empty'
        : `is a ${v === null ? 'null' : typeof v}, not a string`;
  throw new MalformedInputError(WHAT, `the JSON field "${name}" ${problem}`, {
    hint: 'Download the content token again from Apple School Manager (Settings → Apps and Books).',
  });
}
