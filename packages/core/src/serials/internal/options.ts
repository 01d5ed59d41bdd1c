/**
 * Validation of reader options: a wrong option is a programming error reported as a typed
 * `invalid-input` error naming the option, not a crash deep inside the parser.
 */
import { z } from 'zod';
import { SerialCsvError } from '../errors.js';
import type { ReadSerialCsvOptions } from '../types.js';
import type { ByteDecoderOptions } from './decode.js';
import type { EngineOptions } from './engine.js';

const ReadOptionsSchema = z.looseObject({
  column: z.union([z.string().trim().min(1), z.number().int().nonnegative()]).optional(),
  header: z.union([z.boolean(), z.literal('auto')]).optional(),
  delimiter: z
    .string()
    .min(1)
    // papaparse rejects these (Papa.BAD_DELIMITERS) and silently falls back to ','.
    .refine((d) => !/["\r\n\uFEFF]/.test(d), 'must not contain a double quote, CR, LF or BOM')
    .optional(),
  encoding: z.enum(['auto', 'utf-8', 'utf-16le', 'utf-16be', 'windows-1252']).optional(),
  collectRows: z.boolean().optional(),
});

/** Validates `options` and splits them into engine and decoder options. */
export function parseReadOptions(options: unknown): { engine: EngineOptions; decoder: ByteDecoderOptions } {
  const parsed = ReadOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const option = issue?.path.join('.') || 'options';
    throw new SerialCsvError('invalid-input', `Invalid option ${option}: ${issue?.message ?? 'invalid value'}.`, {
      found: { option },
      hint: 'See ReadSerialCsvOptions for the accepted values.',
    });
  }
  const o = parsed.data as ReadSerialCsvOptions;
  return {
    engine: { column: o.column, header: o.header, delimiter: o.delimiter, collectRows: o.collectRows ?? true },
    decoder: { encoding: o.encoding ?? 'auto' },
  };
}
