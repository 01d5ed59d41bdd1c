/**
 * A minimal DER TLV reader, enough to find fields in an X.509 certificate without building
 * an object tree (about a hundred times cheaper than a full asn1js parse, which matters when
 * signing many profiles). Not part of the public API.
 */

/** One TLV inside a byte array. */
export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the content. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

/** Reads the TLV at `offset`; throws a RangeError on malformed or out-of-bounds input. */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv {
  if (offset + 2 > limit) throw new RangeError('truncated DER');
  const tag = bytes[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new RangeError('multi-byte DER tags are not supported');
  let len = bytes[offset + 1]!;
  let at = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new RangeError('unsupported DER length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[at++]!;
  }
  if (at + len > limit) throw new RangeError('DER length past the end');
  return { tag, start: offset, contentStart: at, end: at + len };
}

/** The TLVs directly inside a constructed TLV. */
export function children(bytes: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const t = readTlv(bytes, at, parent.end);
    out.push(t);
    at = t.end;
  }
  return out;
}
