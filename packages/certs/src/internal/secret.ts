/**
 * Plain result objects that carry a secret (a private key PEM) next to public data. Not part of
 * the public API. Classes with private fields use `./redact.js` directly; results of the key-pair,
 * CSR and PKCS#12 functions are plain objects, built here on the same redaction helpers so every
 * `@schoolmdm/certs` value prints alike.
 *
 * The secret stays readable as a property (`result.privateKeyPem`, destructuring works), but it is
 * non-enumerable, so `JSON.stringify`, `{ ...result }`, `Object.entries`, `structuredClone` and
 * structured loggers never copy it by accident; `toJSON`, `toString` and `util.inspect` print
 * `[REDACTED]` in its place.
 */
import type { InspectOptions } from 'node:util';
import { inspectCustom, REDACTED, redactedInspect, redactedJson, redactedString } from './redact.js';

/** Methods every secret-bearing result has; listed in the public interfaces that use them. */
export interface Redacted {
  /** The public fields (dates as ISO 8601, bytes as Base64), every secret replaced by `"[REDACTED]"`. */
  toJSON(): Record<string, unknown>;
  /** A one-line description of the short public fields, secrets shown as `[REDACTED]`. */
  toString(): string;
}

/**
 * Builds `publicPart` plus `secrets` into one frozen object: public fields enumerable, secrets
 * non-enumerable and read-only, and `toJSON`/`toString`/`util.inspect` that redact the secrets.
 *
 * @param typeName Shown by `toString` and `util.inspect`, e.g. `"MdmKeyPair"`.
 */
export function withSecrets<P extends object, S extends Record<string, string>>(
  typeName: string,
  publicPart: P,
  secrets: S,
): P & Readonly<S> & Redacted {
  const hiddenSecrets = Object.fromEntries(Object.keys(secrets).map((k) => [k, REDACTED]));
  const view = { ...publicPart, ...hiddenSecrets } as Record<string, unknown>;
  const jsonView = Object.fromEntries(
    Object.entries(view).map(([k, v]) => [k, v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v]),
  );
  // toString stays one short line: long PEM texts, bytes and lists are left to toJSON/inspect.
  const shortView = Object.fromEntries(
    Object.entries(view).filter(
      ([, v]) => !(v instanceof Uint8Array) && !Array.isArray(v) && !(typeof v === 'string' && v.length > 80),
    ),
  );
  const out = { ...publicPart } as Record<string | symbol, unknown>;
  const hidden = (value: unknown): PropertyDescriptor => ({
    value,
    enumerable: false,
    writable: false,
    configurable: false,
  });
  for (const [k, v] of Object.entries(secrets)) Object.defineProperty(out, k, hidden(v));
  Object.defineProperties(out, {
    toJSON: hidden(() => redactedJson(jsonView)),
    toString: hidden(() => redactedString(typeName, shortView)),
    [inspectCustom]: hidden((depth: number, options: InspectOptions) =>
      redactedInspect(typeName, view, depth, options),
    ),
  });
  return Object.freeze(out) as P & Readonly<S> & Redacted;
}
