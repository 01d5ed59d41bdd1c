/**
 * Validation of reader options: a wrong option is a programming error reported as core's
 * `InvalidArgumentError` naming the option (`options.delimiter`), not a crash deep inside the
 * parser; an unknown key is refused with a did-you-mean.
 */
import { z } from 'zod';
import { InvalidArgumentError } from '../../errors/invalid-argument.js';
import type { ReadSerialCsvOptions } from '../types.js';
import { checkOptionKeys } from './arguments.js';
import type { ByteDecoderOptions } from './decode.js';
import type { EngineOptions } from './engine.js';

const READ_OPTION_KEYS = ['column', 'header', 'delimiter', 'encoding', 'collectRows'] as const;

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
  checkOptionKeys('options', options, READ_OPTION_KEYS, 'See ReadSerialCsvOptions for the accepted values.');
  const parsed = ReadOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = issue?.path.join('.');
    throw new InvalidArgumentError(path ? `options.${path}` : 'options', issue?.message ?? 'invalid value', {
      hint: 'See ReadSerialCsvOptions for the accepted values.',
    });
  }
  const o = parsed.data as ReadSerialCsvOptions;
  return {
    engine: { column: o.column, header: o.header, delimiter: o.delimiter, collectRows: o.collectRows ?? true },
    decoder: { encoding: o.encoding ?? 'auto' },
  };
}
