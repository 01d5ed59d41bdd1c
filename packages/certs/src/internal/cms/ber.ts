/**
 * A small typed view over BER/DER parsed by asn1js. Not part of the public API.
 *
 * asn1js does the hard part: BER with indefinite lengths (Apple writes its server tokens that
 * way, `30 80 …`) and constructed OCTET STRINGs (`openssl cms -stream` splits the ciphertext
 * into chunks). Its generic block classes are awkward to walk safely, so `parseBer` turns them
 * into plain `BerNode`s and the `read*` helpers below check each element and name the path of
 * the first one that is wrong.
 *
 * @see https://www.itu.int/rec/T-REC-X.690 X.690 (BER/DER)
 */
import * as asn1js from 'asn1js';
import { MalformedInputError } from '../../errors.js';

/** One BER element. */
export interface BerNode {
  tagClass: 'universal' | 'application' | 'context' | 'private';
  tag: number;
  constructed: boolean;
  /** The whole element (identifier, length, content and end-of-contents octets). */
  raw: Uint8Array;
  /** The content octets of a primitive element; empty for a constructed one. */
  content: Uint8Array;
  /** The elements of a constructed element, without end-of-contents markers. */
  children: BerNode[];
  /** Byte offset of the element in the parsed input. */
  offset: number;
}

/** Universal tag numbers used by CMS. */
export const TAG = {
  boolean: 1,
  integer: 2,
  bitString: 3,
  octetString: 4,
  null: 5,
  oid: 6,
  utf8String: 12,
  sequence: 16,
  set: 17,
} as const;

const CLASSES = ['universal', 'universal', 'application', 'context', 'private'] as const;

/**
 * Parses one BER element from `bytes`. Anything after it other than zero padding is an error:
 * it means the file was cut or concatenated, and a partial read would hide that.
 */
export function parseBer(bytes: Uint8Array, what: string): BerNode {
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1js.fromBER(bytes);
  } catch {
    // asn1js can throw (e.g. RangeError on absurd nesting) instead of reporting; never let it escape.
    throw new MalformedInputError(what, 'the binary content is not valid BER/DER', {
      hint: 'The file is damaged or is not a CMS/PKCS#7 file; download it again.',
    });
  }
  if (parsed.offset === -1 || parsed.result.error) {
    throw new MalformedInputError(what, `the binary content is not valid BER/DER (${parsed.result.error})`, {
      hint: 'The file is damaged or cut short; download it again.',
    });
  }
  if (parsed.offset < bytes.length && bytes.subarray(parsed.offset).some((b) => b !== 0)) {
    throw new MalformedInputError(
      what,
      `${bytes.length - parsed.offset} unexpected bytes follow the structure at offset ${parsed.offset}`,
      { hint: 'The file holds more than one item or was damaged; download it again.' },
    );
  }
  return convert(parsed.result, bytes);
}

function convert(block: asn1js.AsnType, input: Uint8Array): BerNode {
  const raw = block.valueBeforeDecodeView;
  const { tagClass, tagNumber, isConstructed } = block.idBlock;
  const headerLength = block.idBlock.blockLength + block.lenBlock.blockLength;
  const children: BerNode[] = [];
  if (isConstructed) {
    const value = (block.valueBlock as { value?: asn1js.AsnType[] }).value ?? [];
    for (const child of value) {
      // asn1js keeps end-of-contents markers of indefinite lengths in some versions; they carry nothing.
      if (child.idBlock.tagClass === 1 && child.idBlock.tagNumber === 0) continue;
      children.push(convert(child, input));
    }
  }
  return {
    tagClass: CLASSES[tagClass] ?? 'universal',
    tag: tagNumber,
    constructed: isConstructed,
    raw,
    content: isConstructed ? new Uint8Array(0) : raw.subarray(headerLength),
    children,
    offset: raw.buffer === input.buffer ? raw.byteOffset - input.byteOffset : -1,
  };
}

/** `"SEQUENCE"`, `"[0]"`, `"OCTET STRING"`… for error messages. */
export function describeTag(node: BerNode): string {
  if (node.tagClass === 'context') return `[${node.tag}]`;
  if (node.tagClass !== 'universal') return `${node.tagClass} tag ${node.tag}`;
  const names: Record<number, string> = {
    1: 'BOOLEAN',
    2: 'INTEGER',
    3: 'BIT STRING',
    4: 'OCTET STRING',
    5: 'NULL',
    6: 'OBJECT IDENTIFIER',
    12: 'UTF8String',
    16: 'SEQUENCE',
    17: 'SET',
  };
  return names[node.tag] ?? `universal tag ${node.tag}`;
}

/** Throws a `MalformedInputError` saying which element was wrong and what was expected. */
export function structureError(what: string, path: string, expected: string, found?: BerNode): MalformedInputError {
  const at = found && found.offset >= 0 ? ` at byte ${found.offset}` : '';
  return new MalformedInputError(
    what,
    `${path} should be ${expected} but ${found ? `is ${describeTag(found)}${at}` : 'is missing'}`,
    { hint: 'The file is damaged or is not the kind of file expected; download it again.' },
  );
}

/** True when `node` is the context-specific tag `[n]`. */
export function isContext(node: BerNode | undefined, n: number): node is BerNode {
  return node?.tagClass === 'context' && node.tag === n;
}

function isUniversal(node: BerNode | undefined, tag: number): node is BerNode {
  return node?.tagClass === 'universal' && node.tag === tag;
}

/** The elements of a SEQUENCE. */
export function readSequence(node: BerNode | undefined, what: string, path: string): BerNode[] {
  if (!isUniversal(node, TAG.sequence) || !node.constructed) throw structureError(what, path, 'a SEQUENCE', node);
  return node.children;
}

/** The elements of a SET. */
export function readSet(node: BerNode | undefined, what: string, path: string): BerNode[] {
  if (!isUniversal(node, TAG.set) || !node.constructed) throw structureError(what, path, 'a SET', node);
  return node.children;
}

/** The content octets of an INTEGER (two's complement, big-endian). */
export function readInteger(node: BerNode | undefined, what: string, path: string): Uint8Array {
  if (!isUniversal(node, TAG.integer) || node.constructed || node.content.length === 0) {
    throw structureError(what, path, 'an INTEGER', node);
  }
  return node.content;
}

/** A small non-negative INTEGER (a version number). */
export function readSmallInteger(node: BerNode | undefined, what: string, path: string): number {
  const bytes = readInteger(node, what, path);
  if (bytes.length > 4 || (bytes[0]! & 0x80) !== 0) throw structureError(what, path, 'a small version number', node);
  return bytes.reduce((n, b) => n * 256 + b, 0);
}

/** An OBJECT IDENTIFIER in dotted form. */
export function readOid(node: BerNode | undefined, what: string, path: string): string {
  if (!isUniversal(node, TAG.oid) || node.constructed) throw structureError(what, path, 'an OBJECT IDENTIFIER', node);
  const oid = decodeOid(node.content);
  if (oid === undefined) throw structureError(what, path, 'a well-formed OBJECT IDENTIFIER', node);
  return oid;
}

/** Decodes the content octets of an OBJECT IDENTIFIER (X.690 §8.19); undefined if malformed. */
export function decodeOid(bytes: Uint8Array): string | undefined {
  if (bytes.length === 0 || (bytes[bytes.length - 1]! & 0x80) !== 0) return undefined;
  const arcs: number[] = [];
  let value = 0;
  let started = false;
  for (const b of bytes) {
    // A leading 0x80 is a non-minimal encoding; arcs above 2^53 cannot be OIDs we know.
    if (!started && b === 0x80) return undefined;
    started = true;
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER) return undefined;
    if ((b & 0x80) === 0) {
      arcs.push(value);
      value = 0;
      started = false;
    }
  }
  const first = arcs[0]!;
  const head = first < 40 ? [0, first] : first < 80 ? [1, first - 40] : [2, first - 80];
  return [...head, ...arcs.slice(1)].join('.');
}

/**
 * The bytes of an OCTET STRING, or of an IMPLICIT `[n]` OCTET STRING when `contextTag` is given.
 * Constructed strings (BER chunks, possibly nested) are concatenated in order.
 */
export function readOctets(node: BerNode | undefined, what: string, path: string, contextTag?: number): Uint8Array {
  const ok = contextTag === undefined ? isUniversal(node, TAG.octetString) : isContext(node, contextTag);
  if (!ok || !node)
    throw structureError(what, path, contextTag === undefined ? 'an OCTET STRING' : `[${contextTag}]`, node);
  if (!node.constructed) return node.content;
  const parts: Uint8Array[] = [];
  collectChunks(node, what, path, parts);
  return concat(parts);
}

function collectChunks(node: BerNode, what: string, path: string, out: Uint8Array[]): void {
  node.children.forEach((chunk, i) => {
    if (!isUniversal(chunk, TAG.octetString))
      throw structureError(what, `${path} chunk ${i}`, 'an OCTET STRING', chunk);
    if (chunk.constructed) collectChunks(chunk, what, `${path} chunk ${i}`, out);
    else out.push(chunk.content);
  });
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** An AlgorithmIdentifier: its OID and, when present, its parameters element. */
export function readAlgorithm(
  node: BerNode | undefined,
  what: string,
  path: string,
): { oid: string; parameters: BerNode | undefined } {
  const [oidNode, parameters] = readSequence(node, what, path);
  return { oid: readOid(oidNode, what, `${path}.algorithm`), parameters };
}

/** Uppercase hex of bytes. */
export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

/**
 * A serial number as `node:crypto`'s `X509Certificate#serialNumber` prints it: uppercase hex of
 * the magnitude, without the sign-padding `00` byte, at least two digits.
 */
export function serialToHex(bytes: Uint8Array): string {
  let i = 0;
  while (i < bytes.length - 1 && bytes[i] === 0) i++;
  return toHex(bytes.subarray(i));
}
