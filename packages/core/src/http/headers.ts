/** Header merging: defaults, then per-request headers, then per-call options; `null` removes. */

import { isSecretName } from '../redact/patterns.js';
import type { SecretValue } from '../redact/secret-value.js';

/** A header value: text, or a {@link SecretValue} revealed only when the request is sent. */
export type HeaderValue = string | SecretValue;

/**
 * Headers as `Headers`, `[name, value]` pairs or a record; a `null` value removes a default.
 * Values may be {@link SecretValue}s (credentials): the transport reveals them only on the
 * wire, redacts them everywhere else and drops them on a redirect to another origin.
 */
export type HeadersLike =
  | Headers
  | readonly (readonly [string, HeaderValue])[]
  | Readonly<Record<string, HeaderValue | null | undefined>>;

/** Merges header sets into a lower-cased record; later sets win, `null` deletes. */
export function mergeHeaders(target: Record<string, HeaderValue>, ...sets: (HeadersLike | undefined)[]): void {
  for (const set of sets) {
    if (!set) continue;
    if (typeof Headers !== 'undefined' && set instanceof Headers) {
      set.forEach((v, k) => {
        target[k] = v;
      });
    } else if (Array.isArray(set)) {
      for (const [k, v] of set as readonly (readonly [string, HeaderValue])[]) target[k.toLowerCase()] = v;
    } else {
      for (const [k, v] of Object.entries(set as Record<string, HeaderValue | null | undefined>)) {
        if (v === null) delete target[k.toLowerCase()];
        else if (v !== undefined) target[k.toLowerCase()] = v;
      }
    }
  }
}

/** Headers `fetch` itself drops on a cross-origin redirect (Fetch standard, §4.4 HTTP-redirect fetch). */
const ALWAYS_CREDENTIALS: ReadonlySet<string> = new Set(['authorization', 'cookie', 'proxy-authorization']);

/**
 * True when a header carries a credential and must never reach another origin: the three
 * `fetch` strips, every name in `secretHeaders`, every secret-looking name (`x-api-key`,
 * `X-ADM-Auth-Session`…) and every header whose value is a {@link SecretValue}.
 */
export function isCredentialHeader(name: string, value: HeaderValue, secretHeaders: ReadonlySet<string>): boolean {
  return ALWAYS_CREDENTIALS.has(name) || secretHeaders.has(name) || typeof value !== 'string' || isSecretName(name);
}
