/**
 * The ES256 client assertion of the Apple School Manager / Apple Business API OAuth flow.
 *
 * @see https://developer.apple.com/documentation/apple-school-and-business-manager-api/implementing-oauth-for-the-apple-school-manager-and-apple-business-api
 */
import { type KeyObject, randomUUID, sign } from 'node:crypto';

/** The `aud` Apple requires in the client assertion (even when posting to `/auth/oauth2/token`). */
export const ASM_ASSERTION_AUDIENCE = 'https://account.apple.com/auth/oauth2/v2/token';

/** Apple refuses assertions whose `exp` is 180 days or more after `iat`. */
export const MAX_ASSERTION_LIFETIME_MS = 180 * 24 * 3600 * 1000;

/** What an assertion is made of. */
export interface ClientAssertionInput {
  clientId: string;
  keyId: string;
  privateKey: KeyObject;
  /** Issue time, ms since the epoch. */
  issuedAtMs: number;
  /** Lifetime, ms (≤ 180 days). */
  lifetimeMs: number;
  /** Unique id; a UUID by default. */
  jti?: string;
}

/**
 * Signs a JWT client assertion: header `{alg: ES256, kid, typ: JWT}`, claims `iss` = `sub` =
 * client id, `aud`, `iat`, `exp`, `jti`. The signature is the raw `r‖s` pair JWS requires
 * (`dsaEncoding: 'ieee-p1363'`), not DER.
 */
export function createClientAssertion(input: ClientAssertionInput): { jwt: string; expiresAtMs: number } {
  const iat = Math.floor(input.issuedAtMs / 1000);
  const exp = iat + Math.floor(input.lifetimeMs / 1000);
  const header = { alg: 'ES256', kid: input.keyId, typ: 'JWT' };
  const claims = {
    iss: input.clientId,
    sub: input.clientId,
    aud: ASM_ASSERTION_AUDIENCE,
    iat,
    exp,
    jti: input.jti ?? randomUUID(),
  };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  const signature = sign('sha256', Buffer.from(signingInput), { key: input.privateKey, dsaEncoding: 'ieee-p1363' });
  return { jwt: `${signingInput}.${signature.toString('base64url')}`, expiresAtMs: exp * 1000 };
}

function b64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}
