/**
 * A minimal BER/DER writer for the test-only encryptor: enough to write a `ContentInfo` the way
 * Apple does (indefinite lengths, a constructed `[0]` for the ciphertext) or as plain DER.
 *
 * @see https://www.itu.int/rec/T-REC-X.690 X.690 §8.1 (identifier and length octets)
 */
import { concat } from '../internal/cms/ber.js';

/** Identifier octets used by CMS. */
export const ID = {
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  sequence: 0x30,
  set: 0x31,
  /** `[0]` constructed. */
  context0: 0xa0,
  /** `[0]` primitive (IMPLICIT OCTET STRING). */
  context0Primitive: 0x80,
  /** OCTET STRING, constructed (BER chunks). */
  octetStringConstructed: 0x24,
} as const;

function definiteLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

/**
 * One element. With `indefinite`, writes the BER indefinite form (`id 80 … 00 00`), which only
 * constructed identifiers may use.
 */
export function tlv(id: number, content: Uint8Array | readonly Uint8Array[], indefinite = false): Uint8Array {
  const body = content instanceof Uint8Array ? content : concat(content);
  if (indefinite) {
    if ((id & 0x20) === 0) throw new RangeError('only constructed elements can have an indefinite length');
    return concat([Uint8Array.of(id, 0x80), body, Uint8Array.of(0, 0)]);
  }
  return concat([Uint8Array.of(id, ...definiteLength(body.length)), body]);
}

/** An OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [];
  const push = (v: number) => {
    const group: number[] = [v & 0x7f];
    for (let x = Math.floor(v / 128); x > 0; x = Math.floor(x / 128)) group.unshift(0x80 | (x & 0x7f));
    out.push(...group);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const a of arcs.slice(2)) push(a);
  return tlv(ID.oid, Uint8Array.from(out));
}

/** An INTEGER from its content octets (already two's complement). */
export function integer(content: Uint8Array | number): Uint8Array {
  return tlv(ID.integer, typeof content === 'number' ? Uint8Array.of(content) : content);
}

/** A primitive OCTET STRING. */
export function octets(content: Uint8Array): Uint8Array {
  return tlv(ID.octetString, content);
}

/** NULL. */
export const NULL: Uint8Array = Uint8Array.of(ID.null, 0);
