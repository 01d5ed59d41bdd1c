/**
 * The decrypted Apple School Manager / Apple Business Manager server token.
 */

import { SecretValue } from '@schoolmdm/core';
import { checkArgument, DATE_RULE, isPlainObject } from '../internal/args.js';
import { type PublicView, REDACTED, RedactedValue } from '../internal/redact.js';

/** The five values of a server token, as Apple's JSON holds them (camel-cased). */
export interface ServerTokenFields {
  /** OAuth 1 consumer key (`CK_…`). Identifies the token; not a secret on its own. */
  consumerKey: string;
  /** OAuth 1 consumer secret (`CS_…`). Secret. */
  consumerSecret: string;
  /** OAuth 1 access token (`AT_…`). Secret. */
  accessToken: string;
  /** OAuth 1 access token secret (`AS_…`). Secret. */
  accessSecret: string;
  /** When the token stops working: one year after it was downloaded. */
  accessTokenExpiry: Date;
}

/**
 * The OAuth 1 credentials inside a server token (`*_smime.p7m`), as returned by
 * `decryptServerToken`.
 *
 * The secret values are ordinary readable properties (`token.accessToken`), but they are kept in
 * private fields: `String(token)`, template literals, `JSON.stringify(token)`, `util.inspect` and
 * `console.log` show `[REDACTED]` instead, and spreading or `Object.keys` sees only
 * `consumerKey` and `accessTokenExpiry`.
 *
 * @example
 * ```ts
 * const token = decryptServerToken(readFileSync('mdm_Token_2025-01-17T11-02-21Z_smime.p7m'), {
 *   privateKeyPem: readFileSync('mdm.key', 'utf8'),
 * });
 * console.log(`${token}`); // ServerToken(consumerKey=CK_…, consumerSecret=[REDACTED], …)
 * ```
 */
export class ServerToken extends RedactedValue implements ServerTokenFields {
  /** OAuth 1 consumer key (`CK_…`); names the token, shown in `toString`. */
  readonly consumerKey: string;
  /** When the access token expires (one year after download). */
  readonly accessTokenExpiry: Date;
  readonly #consumerSecret: SecretValue;
  readonly #accessToken: SecretValue;
  readonly #accessSecret: SecretValue;

  /**
   * Builds a token from its fields, e.g. when reading it back from a secret store.
   * Throws `MalformedInputError` naming the first empty or missing field (never its value).
   */
  constructor(fields: ServerTokenFields) {
    super('ServerToken');
    checkArgument('fields', fields, {
      expected: '{ consumerKey, consumerSecret, accessToken, accessSecret, accessTokenExpiry }',
      test: isPlainObject,
      required: true,
    });
    for (const name of ['consumerKey', 'consumerSecret', 'accessToken', 'accessSecret'] as const) {
      // Never quotes the value: only its kind ("a number", "an object") is described.
      checkArgument(`fields.${name}`, fields[name], {
        expected: 'a non-empty string',
        test: (v) => typeof v === 'string' && v.length > 0,
        required: true,
      });
    }
    const expiry: unknown = fields.accessTokenExpiry;
    checkArgument('fields.accessTokenExpiry', expiry, { ...DATE_RULE, required: true });
    this.consumerKey = fields.consumerKey;
    this.accessTokenExpiry = new Date((expiry as Date).getTime());
    this.#consumerSecret = SecretValue.from(fields.consumerSecret);
    this.#accessToken = SecretValue.from(fields.accessToken);
    this.#accessSecret = SecretValue.from(fields.accessSecret);
  }

  /** OAuth 1 consumer secret (`CS_…`). Secret: never log it. */
  get consumerSecret(): string {
    return this.#consumerSecret.reveal();
  }

  /** OAuth 1 access token (`AT_…`). Secret: never log it. */
  get accessToken(): string {
    return this.#accessToken.reveal();
  }

  /** OAuth 1 access token secret (`AS_…`). Secret: never log it. */
  get accessSecret(): string {
    return this.#accessSecret.reveal();
  }

  /**
   * True when `accessTokenExpiry` is at or before `now`.
   * @param now - the moment to compare with.
   * @default now = new Date()
   */
  isExpired(now: Date = new Date()): boolean {
    checkArgument('now', now, DATE_RULE);
    return this.accessTokenExpiry.getTime() <= now.getTime();
  }

  protected publicView(): PublicView {
    return {
      consumerKey: this.consumerKey,
      consumerSecret: REDACTED,
      accessToken: REDACTED,
      accessSecret: REDACTED,
      accessTokenExpiry: this.accessTokenExpiry,
    };
  }
}
