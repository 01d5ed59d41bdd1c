/** Request body encoding: JSON for plain values, everything `fetch` accepts passed through. */
import { InvalidArgumentError } from '../errors/invalid-argument.js';

/** An encoded body and whether it can be sent only once (a stream cannot be replayed on retry). */
export interface EncodedBody {
  body: BodyInit | undefined;
  oneShot: boolean;
  json: boolean;
}

/** Encodes `body`: `undefined` → none; strings, bytes, Blob, FormData, URLSearchParams, streams → as is; anything else → JSON. */
export function encodeBody(body: unknown): EncodedBody {
  if (body === undefined) return { body: undefined, oneShot: false, json: false };
  if (
    typeof body === 'string' ||
    body instanceof URLSearchParams ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    (typeof Blob !== 'undefined' && body instanceof Blob) ||
    (typeof FormData !== 'undefined' && body instanceof FormData)
  ) {
    return { body: body as BodyInit, oneShot: false, json: false };
  }
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) {
    return { body, oneShot: true, json: false };
  }
  try {
    return { body: JSON.stringify(body), oneShot: false, json: true };
  } catch (error) {
    throw new InvalidArgumentError('body', `cannot be serialised as JSON (${(error as Error).message})`, {
      hint: 'Pass plain objects, arrays, strings, numbers and booleans (no BigInt, no cycles).',
    });
  }
}
