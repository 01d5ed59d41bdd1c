/**
 * `readPlist`: one entry point for every shape a `.mobileconfig` comes in.
 */
import { PlistError, SignatureError } from '../errors.js';
import { cmsBytes, looksLikeDer, looksLikePemCms, parseSignedData } from '../signing/parse.js';
import { isBinaryPlist, readBinaryPlist } from './read-binary.js';
import { type ReaderOptions, readXmlPlist } from './read-xml.js';
import type { PlistValue } from './types.js';

/** Options of {@link readPlist}. */
export interface ReadPlistOptions {
  /**
   * Return numbers as {@link PlistInteger} / {@link PlistReal} wrappers instead of plain
   * numbers, so that `<real>1.0</real>` stays a real when written back.
   * @default false
   */
  preserveNumberTypes?: boolean;
  /**
   * Deepest nesting of arrays and dictionaries accepted; deeper input is rejected rather
   * than allowed to exhaust the stack.
   * @default 512
   */
  maxDepth?: number;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Reads a property list in any of the shapes a configuration profile comes in:
 * - XML (a string, or UTF-8 / UTF-16 bytes with or without a BOM);
 * - binary `bplist00`;
 * - a CMS SignedData wrapping either of them (a signed `.mobileconfig`), DER or PEM. The
 *   embedded content is read; the signature is *not* checked here, use
 *   `verifySignedProfile` for that.
 *
 * Numbers: `<integer>` gives a `number`, or a `bigint` beyond `Number.MAX_SAFE_INTEGER`;
 * `<real>` gives a `number`. With `preserveNumberTypes`, both come wrapped (`PlistInteger`
 * / `PlistReal`). `NaN` and `Infinity` reals are rejected, like in {@link writePlist}.
 * Dictionaries are plain objects (a `__proto__` key is an own property), `<data>` is a
 * `Uint8Array`, `<date>` a `Date`. A binary plist UID becomes `{ CF$UID: n }`, the form
 * CoreFoundation uses for it in XML.
 *
 * @throws {PlistError} on malformed input, with `line` (XML), `offset` (binary) and the
 *   key `path`; duplicate keys, unknown elements and DOCTYPE internal subsets are errors.
 * @example
 * const profile = readPlist(await readFile('wifi.mobileconfig'));
 */
export function readPlist(input: string | Uint8Array, options: ReadPlistOptions = {}): PlistValue {
  const opts: ReaderOptions = {
    preserveNumberTypes: options.preserveNumberTypes ?? false,
    maxDepth: options.maxDepth ?? 512,
  };
  return readAny(input, opts, true);
}

function readAny(input: string | Uint8Array, opts: ReaderOptions, allowCms: boolean): PlistValue {
  if (typeof input === 'string') {
    if (allowCms && looksLikePemCms(input)) return readSigned(input, opts);
    return readXmlPlist(input, opts);
  }
  if (!(input instanceof Uint8Array)) {
    throw new PlistError(`readPlist expects a string or a Uint8Array, got ${typeof input}`);
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
