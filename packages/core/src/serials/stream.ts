/**
 * `readSerialCsvStream`: the streaming twin of `readSerialCsv`, for exports too large to hold
 * as text (a district's 1,000,000-row inventory).
 */
import type { Readable } from 'node:stream';
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { SerialCsvError } from './errors.js';
import { ByteDecoder } from './internal/decode.js';
import { describeValue } from './internal/describe.js';
import { SerialCsvEngine } from './internal/engine.js';
import { parseReadOptions } from './internal/options.js';
import type { ReadSerialCsvOptions, SerialCsvResult } from './types.js';

/** Anything `readSerialCsvStream` can read: a Node `Readable` (e.g. `fs.createReadStream`), a web `ReadableStream`, or any async iterable of chunks. */
export type SerialCsvSource = Readable | AsyncIterable<string | Uint8Array>;

/**
 * Reads a serial-number CSV from a stream, chunk by chunk, and returns the same result as
 * {@link readSerialCsv} on the same bytes: same detection, same rows, issues and line numbers,
 * whatever the chunk boundaries (a chunk may split a UTF-8 character, a CRLF pair or a quoted
 * field).
 *
 * The source text is never held in full: the first 64 KiB are buffered to detect encoding,
 * delimiter, header and serial column, then text is parsed in batches of 64 KiB. Memory
 * grows with the result only; with `collectRows: false`, with the number of unique serials and
 * issues. (One exception: an unclosed quote makes the parser hold the rest of the file, which
 * it then reads with quotes taken literally and reports as `unterminated-quote`.)
 *
 * Chunks must all be bytes (`Uint8Array`/`Buffer`, decoded as `options.encoding`) or all be
 * strings (already decoded, e.g. a stream with `setEncoding('utf8')`). A failing source
 * rejects with {@link SerialCsvError} `read-failed` carrying the source's error as `cause`; the
 * source is destroyed when reading stops early.
 *
 * @example
 * ```ts
 * import { createReadStream } from 'node:fs';
 * import { readSerialCsvStream } from '@schoolmdm/core';
 *
 * const result = await readSerialCsvStream(createReadStream('district-inventory.csv'), { collectRows: false });
 * console.log(result.serials.length, result.issues.length);
 * ```
 * @see readSerialCsv for input already in memory.
 */
export async function readSerialCsvStream(
  source: SerialCsvSource,
  options?: ReadSerialCsvOptions,
): Promise<SerialCsvResult> {
  if (
    source === null ||
    typeof source !== 'object' ||
    typeof (source as AsyncIterable<unknown>)[Symbol.asyncIterator] !== 'function'
  ) {
    throw new InvalidArgumentError(
      'source',
      `expected a Readable stream or an async iterable of chunks, got ${describeValue(source)}`,
      { hint: 'For text or bytes already in memory, call readSerialCsv instead.' },
    );
  }
  const { engine: engineOptions, decoder: decoderOptions } = parseReadOptions(options);
  const engine = new SerialCsvEngine(engineOptions);
  const decoder = new ByteDecoder(decoderOptions);
  let mode: 'bytes' | 'text' | undefined;
  let firstChar: number | undefined;
  let index = 0;
  const iterator = (source as AsyncIterable<unknown>)[Symbol.asyncIterator]();
  try {
    for (;;) {
      let step: IteratorResult<unknown>;
      try {
        step = await iterator.next();
      } catch (cause) {
        throw new SerialCsvError('read-failed', `Reading the CSV stream failed: ${messageOf(cause)}`, { cause });
      }
      if (step.done) break;
      const chunk = step.value;
      if (typeof chunk === 'string') {
        if (mode === 'bytes') throw mixed(index);
        mode = 'text';
        if (firstChar === undefined && chunk.length > 0) firstChar = chunk.charCodeAt(0);
        engine.push(chunk);
      } else if (chunk instanceof Uint8Array) {
        if (mode === 'text') throw mixed(index);
        mode = 'bytes';
        engine.push(decoder.push(chunk));
      } else {
        throw new InvalidArgumentError(
          'source',
          `chunk ${index + 1} of the stream is ${describeValue(chunk)}; expected a string or a Uint8Array/Buffer`,
          { hint: 'Do not read the file in object mode.' },
        );
      }
      index++;
    }
  } catch (err) {
    // Stop the source (a Readable's iterator destroys the stream on return()).
    await iterator.return?.().catch(() => undefined);
    throw err;
  }
  if (mode === 'text') return engine.end(undefined, firstChar === 0xfeff);
  engine.push(decoder.end());
  return engine.end(decoder.encoding, decoder.bom);
}

function mixed(index: number): InvalidArgumentError {
  return new InvalidArgumentError(
    'source',
    `chunk ${index + 1} of the stream mixes text and bytes with the chunks before it`,
    {
      hint: 'Either leave the stream in binary mode or set one text encoding on it.',
    },
  );
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause);
}
