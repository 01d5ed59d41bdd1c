/**
 * `readPlist`: one entry point for every shape a `.mobileconfig` comes in.
 */
import { InvalidArgumentError, isSchoolMdmError } from '@schoolmdm/core';
import { PlistError, SignatureError } from '../errors.js';
import { checkBoolean, checkInput, checkInteger, checkOneOf, checkOptions, sanitizedCause } from '../internal/args.js';
import { cmsBytes, looksLikeDer, looksLikePemCms, parseSignedData } from '../signing/parse.js';
import { isBinaryPlist, readBinaryPlist } from './read-binary.js';
import { type PlistReadWarning, rememberReadWarnings } from './read-warnings.js';
import { type ReaderOptions, readXmlPlist } from './read-xml.js';
import { MAX_PLIST_DEPTH, type PlistValue } from './types.js';

export type { PlistReadWarning };

/** Options of {@link readPlist}. */
export interface ReadPlistOptions {
  /**
   * How numbers come back.
   * - `'lossless'` (default): `<integer>` gives a `number` (a `bigint` beyond
   *   `Number.MAX_SAFE_INTEGER`), `<real>` gives a `number`, except an integral real such as
   *   `<real>2.0</real>`, which comes back as a {@link PlistReal} (`+v` and `v.value` give the
   *   number). A JS number cannot say "real" when it is integral, and without the wrapper
   *   {@link writePlist} would write it back as `<integer>2</integer>`: reading then writing a
   *   profile would change a value's type.
   * - `'wrapped'`: every number is a {@link PlistInteger} or {@link PlistReal}.
   * - `'plain'`: plain numbers only. Lossy: `<real>2.0</real>` comes back as `2` and is
   *   written back as `<integer>`, and `validateProfile` cannot tell it from an integer.
   * @default 'lossless'
   */
  numbers?: 'lossless' | 'wrapped' | 'plain';
  /**
   * Older spelling of `numbers`: `true` is `'wrapped'`, `false` is `'plain'`.
   * @deprecated use `numbers`.
   */
  preserveNumberTypes?: boolean;
  /**
   * What to do when a `<dict>` names the same key twice.
   * - `'last'` (default): keep the last value, as Python `plistlib` and devices do; the
   *   duplicate is reported to `onWarning` and as a `duplicate-key` warning by
   *   `validateProfile` (with its path and line).
   * - `'error'`: refuse the file with a {@link PlistError}, as `plutil -lint` does.
   * @default 'last'
   */
  duplicateKeys?: 'last' | 'error';
  /** Called once for each thing accepted but worth a look (a duplicate key). */
  onWarning?: (warning: PlistReadWarning) => void;
  /**
   * Deepest nesting of arrays and dictionaries accepted, 1…2048; deeper input is rejected
   * rather than allowed to exhaust the stack.
   * @default 512
   */
  maxDepth?: number;
}

const READ_OPTIONS = ['numbers', 'preserveNumberTypes', 'duplicateKeys', 'onWarning', 'maxDepth'] as const;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a property list in any of the shapes a configuration profile comes in:
 * - XML (a string, or UTF-8 / UTF-16 bytes with or without a BOM);
 * - binary `bplist00`;
 * - a CMS SignedData wrapping either of them (a signed `.mobileconfig`), DER or PEM. The
 *   embedded content is read; the signature is *not* checked here, use
 *   `verifySignedProfile` for that.
 *
 * Reads every file Python `plistlib` reads, and a little more: whitespace before the XML
 * declaration, a document without XML declaration or DOCTYPE, and a bare root value without
 * `<plist>` are accepted (plistlib refuses the first; CoreFoundation accepts all three).
 * A duplicate dictionary key keeps its last value, as in plistlib (see `duplicateKeys`).
 *
 * Reading then writing with {@link writePlist} is lossless for every plist type: numbers keep
 * `<integer>` vs `<real>` (see `numbers`), dates keep their second, `<data>` its bytes, strings
 * every character (a CR stays a CR). Dictionaries are plain objects (a `__proto__` key is an
 * own property), `<data>` is a `Uint8Array`, `<date>` a `Date`. A binary plist UID becomes
 * `{ CF$UID: n }`, the form CoreFoundation uses for it in XML. `NaN` and `Infinity` reals are
 * rejected, like in {@link writePlist}.
 *
 * @throws {PlistError} on malformed input, with `line` (XML), `offset` (binary) and the
 *   key `path`; its message quotes no value from below a secret-named key (`Password`…) and
 *   never more than a short excerpt. Unknown elements, DOCTYPE internal subsets and, with
 *   `duplicateKeys: 'error'`, duplicate keys are errors. Whatever a third-party parser throws
 *   on hostile input (asn1js on a broken CMS) becomes a `PlistError` with a sanitised cause.
 * @throws {InvalidArgumentError} when `input` is not a string or `Uint8Array`, or an option
 *   is unknown or out of range.
 * @example
 * const profile = readPlist(await readFile('wifi.mobileconfig'));
 */
export function readPlist(input: string | Uint8Array, options?: ReadPlistOptions): PlistValue {
  const fn = 'readPlist()';
  checkInput(fn, 'input', input);
  const o = checkOptions(fn, options, READ_OPTIONS);
  const preserve = checkBoolean(fn, 'options.preserveNumberTypes', o.preserveNumberTypes);
  let numbers = checkOneOf(fn, 'options.numbers', o.numbers, ['lossless', 'wrapped', 'plain'] as const);
  if (preserve !== undefined) {
    const implied = preserve ? 'wrapped' : 'plain';
    if (numbers !== undefined && numbers !== implied) {
      throw new InvalidArgumentError(
        'options.preserveNumberTypes',
        `readPlist() got preserveNumberTypes: ${preserve} and numbers: "${numbers}", which disagree`,
        { hint: 'pass only numbers' },
      );
    }
    numbers = implied;
  }
  if (o.onWarning !== undefined && typeof o.onWarning !== 'function') {
    throw new InvalidArgumentError('options.onWarning', 'readPlist() expects a function');
  }
  const opts: ReaderOptions = {
    numbers: numbers ?? 'lossless',
    duplicateKeys: checkOneOf(fn, 'options.duplicateKeys', o.duplicateKeys, ['last', 'error'] as const) ?? 'last',
    maxDepth: checkInteger(fn, 'options.maxDepth', o.maxDepth, 1, MAX_PLIST_DEPTH) ?? 512,
    warnings: [],
  };
  let value: PlistValue;
  try {
    value = readAny(input, opts, true);
  } catch (e) {
    if (isSchoolMdmError(e)) throw e;
    throw new PlistError('Input could not be read as a plist', {}, { cause: sanitizedCause(e) });
  }
  rememberReadWarnings(value, opts.warnings);
  if (o.onWarning) for (const w of opts.warnings) o.onWarning(w);
  return value;
}

function readAny(input: string | Uint8Array, opts: ReaderOptions, allowCms: boolean): PlistValue {
  if (typeof input === 'string') {
    if (allowCms && looksLikePemCms(input)) return readSigned(input, opts);
    return readXmlPlist(input, opts);
  }
  if (isBinaryPlist(input)) return readBinaryPlist(input, opts);
  if (allowCms && looksLikeDer(input)) return readSigned(input, opts);
  const text = decodeText(input);
  if (allowCms && looksLikePemCms(text)) return readSigned(text, opts);
  return readXmlPlist(text, opts);
}

function readSigned(input: string | Uint8Array, opts: ReaderOptions): PlistValue {
  let content: Uint8Array | undefined;
  try {
    content = parseSignedData(cmsBytes(input)).content;
  } catch (e) {
    if (e instanceof SignatureError) {
      throw new PlistError(`Input looks like a signed profile but is not readable CMS: ${e.message}`, {}, { cause: e });
    }
    throw e;
  }
  if (content === undefined) {
    throw new PlistError(
      'The signed profile has no embedded content (detached signature)',
      {},
      {
        hint: 'sign profiles with the content attached (openssl cms -sign -nodetach -binary)',
      },
    );
  }
  return readAny(content, opts, false);
}

function decodeText(bytes: Uint8Array): string {
  const b0 = bytes[0];
  const b1 = bytes[1];
  let encoding: 'utf-8' | 'utf-16le' | 'utf-16be' = 'utf-8';
  if (b0 === 0xfe && b1 === 0xff) encoding = 'utf-16be';
  else if (b0 === 0xff && b1 === 0xfe) encoding = 'utf-16le';
  try {
    // TextDecoder drops the BOM of the chosen encoding.
    return encoding === 'utf-8' ? utf8.decode(bytes) : new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch (e) {
    throw new PlistError(
      `Input is not a plist: it is not valid ${encoding.toUpperCase()} text`,
      {},
      {
        cause: e,
        hint: 'expected an XML or binary plist, or a signed .mobileconfig',
      },
    );
  }
}
