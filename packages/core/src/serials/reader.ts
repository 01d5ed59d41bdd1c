/**
 * `readSerialCsv`: reads a serial-number CSV export held in memory (string or bytes).
 */
import { InvalidArgumentError } from '../errors/invalid-argument.js';
import { ByteDecoder } from './internal/decode.js';
import { describeValue } from './internal/describe.js';
import { SerialCsvEngine } from './internal/engine.js';
import { parseReadOptions } from './internal/options.js';
import type { ReadSerialCsvOptions, SerialCsvResult } from './types.js';

/**
 * Reads the serial numbers out of a CSV export from Jamf Pro, Jamf School, Mosyle, Apple School
 * Manager, Apple Configurator or a hand-made Excel sheet.
 *
 * Handles what Excel in Belgium and France produces: a UTF-8 BOM, UTF-16 "Unicode text",
 * Windows-1252 bytes, `;` (or tab, `|`, `,`) delimiters, a `sep=;` first line, CRLF or CR line
 * endings, quoted fields holding delimiters and line breaks, English/French/Dutch/German
 * headers, lower-case or space-padded serials, duplicates and blank lines.
 *
 * The serial column is, in order: `options.column`; the header matching the alias table
 * (`Serial Number`, `serial_number`, Jamf MUT's `Computer Serial` / `Mobile Device Serial`,
 * `Numéro de série`, `N° de série`, `Serienummer`, `Seriennummer`…); a header that names the
 * serial (`Apple Serial`); the only column of a single-column file (with or without header);
 * the column whose values look like serial numbers. A header that names the serial always
 * outranks a column that merely holds serial-like values, such as a `Barcode 1` column of
 * `S` + serial scanned from the box label.
 *
 * Never throws for a bad row: each becomes an entry in `issues` (`invalid`, `duplicate` naming
 * the first line, `suspicious`, `empty`), with 1-based physical line numbers. Throws
 * {@link SerialCsvError} only when the input as a whole is unusable: binary content (e.g. an
 * `.xlsx` workbook), another document format, no column that could hold serials, several
 * equally plausible ones, or an `options.column` the file does not have.
 *
 * Memory: the text is parsed in 64 KiB batches, so only the result (and the input the caller
 * holds) stays in memory; pass `collectRows: false` to keep only serials and issues, or use
 * `readSerialCsvStream` to avoid holding the source text at all.
 *
 * @param input CSV text, or its bytes (encoding detected; see `options.encoding`).
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { readSerialCsv } from '@schoolmdm/core';
 *
 * const { serials, issues, serialColumn } = readSerialCsv(readFileSync('jamf-export.csv'));
 * for (const i of issues) console.warn(`line ${i.line}: ${i.message}`);
 * console.log(`${serials.length} serials from column “${serialColumn?.header}”`);
 * ```
 * @see readSerialCsvStream for a Node `Readable` source.
 * @see writeSerialCsv to produce the release-request file.
 */
export function readSerialCsv(
  input: string | Uint8Array | ArrayBuffer,
  options?: ReadSerialCsvOptions,
): SerialCsvResult {
  const bytes =
    typeof input === 'string'
      ? undefined
      : input instanceof Uint8Array
        ? input
        : input instanceof ArrayBuffer
          ? new Uint8Array(input)
          : undefined;
  if (typeof input !== 'string' && bytes === undefined) {
    throw new InvalidArgumentError(
      'input',
      `expected CSV text or bytes (string, Uint8Array, Buffer or ArrayBuffer), got ${describeValue(input)}`,
      { hint: 'Pass the file content, e.g. readFileSync(path).' },
    );
  }
  const { engine: engineOptions, decoder: decoderOptions } = parseReadOptions(options);
  const engine = new SerialCsvEngine(engineOptions);
  if (typeof input === 'string') {
    engine.push(input);
    return engine.end(undefined, input.charCodeAt(0) === 0xfeff);
  }
  const decoder = new ByteDecoder(decoderOptions);
  engine.push(decoder.push(bytes as Uint8Array));
  engine.push(decoder.end());
  return engine.end(decoder.encoding, decoder.bom);
}
