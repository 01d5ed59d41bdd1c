/**
 * Request body encoding: JSON for plain values, bytes and forms passed through, and every
 * one-shot source (web `ReadableStream`, Node `Readable`/`fs.ReadStream`, async iterables)
 * streamed as a web `ReadableStream` and never retried, since it cannot be replayed.
 */
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { isSecretValue } from '../redact/brand.js';

/** An encoded body and whether it can be sent only once (a stream cannot be replayed on retry). */
export interface EncodedBody {
  body: BodyInit | undefined;
  /** A stream: sent once, never retried, never re-sent on a redirect. */
  oneShot: boolean;
  /** Serialised as JSON here (the transport adds `content-type: application/json`). */
  json: boolean;
  /** The body holds a revealed {@link SecretValue}. */
  secret: boolean;
}

const NONE: EncodedBody = { body: undefined, oneShot: false, json: false, secret: false };

/**
 * Encodes `body`:
 * - `undefined` → no body;
 * - strings, `ArrayBuffer`s and views, `Blob`, `FormData`, `URLSearchParams` → as they are;
 * - a {@link SecretValue} → its text;
 * - web `ReadableStream`, Node `Readable` (and `fs.ReadStream`), any async iterable of bytes or
 *   strings → streamed (one-shot);
 * - plain objects, arrays, numbers, booleans and `null`, or objects with a `toJSON` method →
 *   JSON, with every nested {@link SecretValue} revealed only in the text sent;
 * - anything else (a class instance, `Map`, a sync iterator, a function) → {@link InvalidArgumentError}.
 */
export function encodeBody(body: unknown): EncodedBody {
  if (body === undefined) return NONE;
  if (
    typeof body === 'string' ||
    body instanceof URLSearchParams ||
    body instanceof ArrayBuffer ||
    ArrayBuffer.isView(body) ||
    (typeof Blob !== 'undefined' && body instanceof Blob) ||
    (typeof FormData !== 'undefined' && body instanceof FormData)
  ) {
    return { body: body as BodyInit, oneShot: false, json: false, secret: false };
  }
  if (isSecretValue(body)) return { body: body.reveal(), oneShot: false, json: false, secret: true };
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) {
    return { body, oneShot: true, json: false, secret: false };
  }
  if (
    typeof body === 'object' &&
    body !== null &&
    typeof (body as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function'
  ) {
    return { body: iterableToStream(body as AsyncIterable<unknown>), oneShot: true, json: false, secret: false };
  }
  if (!isJsonEncodable(body)) {
    const kind = typeof body === 'object' ? (Object.getPrototypeOf(body)?.constructor?.name ?? 'object') : typeof body;
    throw new InvalidArgumentError('body', `a ${kind} cannot be sent: it is neither JSON data nor a stream`, {
      hint: 'Pass a plain object or array (sent as JSON), a string, bytes, Blob, FormData, URLSearchParams, a ReadableStream or a Node Readable.',
    });
  }
  let secret = false;
  try {
    // `this[key]` is the value before `toJSON`: a SecretValue's toJSON prints [REDACTED], so
    // the replacer reveals it from the holder. Only this text ever contains the secret.
    const text = JSON.stringify(body, function (this: Record<string, unknown>, key: string, value: unknown) {
      const original = key === '' ? body : this[key];
      if (isSecretValue(original)) {
        secret = true;
        return original.reveal();
      }
      return value;
    });
    return { body: text, oneShot: false, json: true, secret };
  } catch (error) {
    throw new InvalidArgumentError('body', `cannot be serialised as JSON (${(error as Error).message})`, {
      hint: 'Pass plain objects, arrays, strings, numbers and booleans (no BigInt, no cycles).',
    });
  }
}

function isJsonEncodable(value: unknown): boolean {
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return true;
  if (typeof value !== 'object') return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null) return true;
  return typeof (value as { toJSON?: unknown }).toJSON === 'function' && !(value instanceof Date);
}

/** Streams an async iterable (a Node `Readable` is one) as bytes; strings are UTF-8 encoded. */
function iterableToStream(source: AsyncIterable<unknown>): ReadableStream<Uint8Array> {
  let iterator: AsyncIterator<unknown> | undefined;
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      iterator ??= source[Symbol.asyncIterator]();
      const { value, done } = await iterator.next();
      if (done) {
        controller.close();
        return;
      }
      if (typeof value === 'string') controller.enqueue(encoder.encode(value));
      else if (value instanceof Uint8Array) controller.enqueue(value);
      else if (ArrayBuffer.isView(value)) {
        controller.enqueue(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
      } else if (value instanceof ArrayBuffer) controller.enqueue(new Uint8Array(value));
      else {
        const error = new InvalidArgumentError('body', `a stream chunk is a ${typeof value}, not bytes or a string`, {
          hint: 'Yield Uint8Array/Buffer or string chunks.',
        });
        await iterator.return?.().catch(() => undefined);
        controller.error(error);
      }
    },
    async cancel() {
      await iterator?.return?.();
    },
  });
}
