/**
 * OAuth 1.0a request signing (RFC 5849) with HMAC-SHA1, as Apple's `GET /session` requires
 * ("HMAC-SHA1 is required by Apple", micromdm/nanodep `client/auth.go`).
 */
import { createHmac, randomBytes } from 'node:crypto';

/** What a signature is made of. */
export interface OAuth1SignInput {
  method: string;
  /** The full request URL (its query parameters are signed too). */
  url: string;
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
  /** Seconds since the epoch. */
  timestamp: number;
  /** A fresh random string. @defaultValue 16 random bytes, hex */
  nonce?: string;
}

/** RFC 3986 percent-encoding (RFC 5849 §3.6): everything but unreserved characters. */
export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The `oauth_*` parameters with their signature (RFC 5849 §3.4.1–3.4.2). */
export function oauth1Parameters(input: OAuth1SignInput): Record<string, string> {
  const oauth: Record<string, string> = {
    oauth_consumer_key: input.consumerKey,
    oauth_nonce: input.nonce ?? randomBytes(16).toString('hex'),
    oauth_signature_method: 'HMAC-SHA1',
    oauth_timestamp: String(Math.floor(input.timestamp)),
    oauth_token: input.token,
    oauth_version: '1.0',
  };
  const url = new URL(input.url);
  const pairs: [string, string][] = [...Object.entries(oauth)];
  for (const [k, v] of url.searchParams) pairs.push([k, v]);
  const normalized = pairs
    .map(([k, v]) => [percentEncode(k), percentEncode(v)] as const)
    .sort((a, b) => (a[0] === b[0] ? (a[1] < b[1] ? -1 : 1) : a[0] < b[0] ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const baseUri = `${url.protocol}//${url.host.toLowerCase()}${url.pathname}`;
  const baseString = [input.method.toUpperCase(), percentEncode(baseUri), percentEncode(normalized)].join('&');
  const key = `${percentEncode(input.consumerSecret)}&${percentEncode(input.tokenSecret)}`;
  oauth.oauth_signature = createHmac('sha1', key).update(baseString).digest('base64');
  return oauth;
}

/** The `Authorization: OAuth …` header value. */
export function oauth1Header(input: OAuth1SignInput): string {
  const params = oauth1Parameters(input);
  return `OAuth ${Object.entries(params)
    .map(([k, v]) => `${percentEncode(k)}="${percentEncode(v)}"`)
    .join(', ')}`;
}
