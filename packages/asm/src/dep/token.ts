/** The server-token shape the DEP client needs. */

/**
 * The OAuth 1 credentials of a server token: `ServerToken` from `@schoolmdm/certs`
 * (`decryptServerToken`) fits as is, and so does any object with these four strings.
 */
export interface ServerTokenLike {
  /** OAuth consumer key (`CK_…`). */
  readonly consumerKey: string;
  /** OAuth consumer secret (`CS_…`). */
  readonly consumerSecret: string;
  /** OAuth access token (`AT_…`). */
  readonly accessToken: string;
  /** OAuth access secret (`AS_…`). */
  readonly accessSecret: string;
  /** When the token stops working; checked before each session request when present. */
  readonly accessTokenExpiry?: Date;
}
