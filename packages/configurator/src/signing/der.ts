/**
 * A minimal DER encoder (X.690) for the few types CMS SignedData needs. Not part of the
 * public API.
 *
 * Why not asn1js for writing: the certificates and the signed attributes must be embedded
 * as the exact bytes that were parsed or signed, and asn1js 3 cannot embed pre-encoded DER
 * inside a constructed type (`RawData` writes nothing there; it only works at top level), so
 * it would re-encode them. Concatenating TLVs ourselves keeps those bytes exact, and it is
 * also the cheapest part of signing. Parsing stays with asn1js (`parse.ts`).
 */

/** Tag bytes used by SignedData. */
export const TAG = {
  integer: 0x02,
  octetString: 0x04,
  null: 0x05,
  oid: 0x06,
  utcTime: 0x17,
  generalizedTime: 0x18,
  sequence: 0x30,
  set: 0x31,
  /** `[n]` context-specific, constructed (EXPLICIT, or IMPLICIT over a constructed type). */
  context: (n: number) => 0xa0 | n,
} as const;

/** One TLV: tag, DER definite length, content. */
export function tlv(tag: number, ...content: Uint8Array[]): Uint8Array {
  let len = 0;
  for (const c of content) len += c.length;
  const header = lengthBytes(len);
  const out = new Uint8Array(1 + header.length + len);
  out[0] = tag;
  out.set(header, 1);
  let at = 1 + header.length;
  for (const c of content) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function lengthBytes(len: number): Uint8Array {
  if (len < 0x80) return Uint8Array.of(len);
  const bytes: number[] = [];
  for (let n = len; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
  return Uint8Array.of(0x80 | bytes.length, ...bytes);
}

/** An OBJECT IDENTIFIER from its dotted form. */
export function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const body: number[] = [];
  const push = (n: number) => {
    const chunk: number[] = [n & 0x7f];
    for (n = Math.floor(n / 128); n > 0; n = Math.floor(n / 128)) chunk.unshift((n & 0x7f) | 0x80);
    body.push(...chunk);
  };
  push(arcs[0]! * 40 + arcs[1]!);
  for (const arc of arcs.slice(2)) push(arc);
  return tlv(TAG.oid, Uint8Array.from(body));
}

/** A small non-negative INTEGER. */
export function smallInteger(n: number): Uint8Array {
  return tlv(TAG.integer, Uint8Array.of(n));
}

/** An INTEGER from its content octets, exactly as given (e.g. a certificate serial number). */
export function integerBytes(content: Uint8Array): Uint8Array {
  return tlv(TAG.integer, content);
}

/** NULL. */
export const NULL = Uint8Array.of(TAG.null, 0);

/** A time as UTCTime (1950–2049) or GeneralizedTime (otherwise), whole seconds, `Z` (RFC 5652 §11.3). */
export function time(date: Date): Uint8Array {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const y = date.getUTCFullYear();
  const rest = `${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}Z`;
  return y >= 1950 && y < 2050
    ? tlv(TAG.utcTime, Buffer.from(`${p(y % 100)}${rest}`, 'latin1'))
    : tlv(TAG.generalizedTime, Buffer.from(`${p(y, 4)}${rest}`, 'latin1'));
}
