/**
 * CMS SignedData parsing (RFC 5652 §5) with asn1js. Not part of the public API: used by
 * `verifySignedProfile`, `readPlist` and `inspectEnrollmentProfile`.
 *
 * We walk asn1js's generic tree rather than pkijs's classes so that we keep the *original*
 * bytes of what matters: the signed attributes (their DER is what was signed), the
 * certificates (returned to callers byte for byte) and the content, which BER encoders such
 * as Apple's `security cms` split into a constructed OCTET STRING of chunks.
 */
import type * as asn1js from 'asn1js';
import { SignatureError } from '../errors.js';
import { sanitizedCause } from '../internal/args.js';
import { asn1js as asn1 } from '../internal/lazy-deps.js';
import { OID } from './oids.js';
import { asBuffer, pemBlocks } from './pem.js';

/** One SignerInfo, with the bytes needed to verify it. */
export interface ParsedSignerInfo {
  /** How the signer names its certificate. */
  sid: { issuer: Uint8Array; serialNumber: Uint8Array } | { subjectKeyIdentifier: Uint8Array };
  digestAlgorithm: string;
  /** The signed attributes re-tagged as `SET OF` (0x31), i.e. exactly the bytes that were signed. */
  signedAttrs?: Uint8Array;
  contentTypeAttr?: string;
  messageDigestAttr?: Uint8Array;
  signingTime?: Date;
  signatureAlgorithm: string;
  /** The signature AlgorithmIdentifier's parameters, when present (RSASSA-PSS). */
  signatureParams?: asn1js.AsnType;
  signature: Uint8Array;
}

/** A parsed CMS SignedData. */
export interface ParsedSignedData {
  contentType: string;
  /** The embedded content; undefined for a detached signature. */
  content: Uint8Array | undefined;
  /** DER of each certificate in `certificates`, in file order. */
  certificates: Uint8Array[];
  signers: ParsedSignerInfo[];
}

const PEM_LABELS = ['PKCS7', 'CMS', 'PKCS #7 SIGNED DATA'];

/** True when the bytes look like a DER/BER `SEQUENCE` (how every CMS ContentInfo starts). */
export function looksLikeDer(bytes: Uint8Array): boolean {
  return bytes.length > 2 && bytes[0] === 0x30;
}

/** True when the text contains a PEM CMS block. */
export function looksLikePemCms(text: string): boolean {
  return /-----BEGIN (PKCS7|CMS|PKCS #7 SIGNED DATA)-----/.test(text);
}

/** DER of a CMS given as DER bytes or PEM (`PKCS7` or `CMS` label), as bytes or a string. */
export function cmsBytes(input: string | Uint8Array): Uint8Array {
  if (typeof input !== 'string' && looksLikeDer(input)) return input;
  const text = typeof input === 'string' ? input : asBuffer(input).toString('latin1');
  const block = pemBlocks(text, 'signed profile').find((b) => PEM_LABELS.includes(b.label));
  if (!block) {
    throw new SignatureError('Input is neither DER nor PEM CMS SignedData', {
      hint: 'pass the signed .mobileconfig bytes as read from disk (DER), or a "-----BEGIN PKCS7-----" PEM',
    });
  }
  return block.der;
}

/** Parses a CMS ContentInfo that must hold SignedData. */
export function parseSignedData(der: Uint8Array): ParsedSignedData {
  let parsed: ReturnType<typeof asn1js.fromBER>;
  try {
    parsed = asn1().fromBER(der);
  } catch (e) {
    // asn1js throws RangeError/Error on some hostile encodings (base64 MAMeAUE=, MAMcAUE=,
    // MAMYAUE=: issue #15 item 11) instead of reporting them.
    throw new SignatureError('Malformed CMS: not BER/DER', {
      cause: sanitizedCause(e),
      hint: 'the file is truncated or not a signed profile',
    });
  }
  if (parsed.offset === -1) {
    throw new SignatureError(`Malformed CMS: ${parsed.result.error || 'not BER/DER'}`, {
      hint: 'the file is truncated or not a signed profile',
    });
  }
  for (let i = parsed.offset; i < der.length; i++) {
    if (der[i] !== 0 && der[i] !== 0x0a && der[i] !== 0x0d && der[i] !== 0x20) {
      throw new SignatureError(`Malformed CMS: unexpected data after the structure at byte ${parsed.offset}`);
    }
  }
  try {
    return readContentInfo(parsed.result);
  } catch (e) {
    if (e instanceof SignatureError) throw e;
    throw new SignatureError('Malformed CMS SignedData', { cause: sanitizedCause(e) });
  }
}

function readContentInfo(root: asn1js.AsnType): ParsedSignedData {
  const [type, explicit] = seq(root, 'ContentInfo', 2);
  const contentType = oid(type!, 'ContentInfo.contentType');
  if (contentType !== OID.signedData) {
    throw new SignatureError(`Expected CMS SignedData (${OID.signedData}) but found ${contentType}`, {
      hint:
        contentType === '1.2.840.113549.1.7.3'
          ? 'this is an encrypted (EnvelopedData) profile; decrypt it first'
          : 'the input is not a signed profile',
    });
  }
  const [signedData] = contextChildren(explicit!, 0, 'ContentInfo.content');
  const fields = seq(signedData!, 'SignedData', 4);
  let i = 2;
  const encap = seq(fields[i++]!, 'EncapsulatedContentInfo', 1);
  const eContentType = oid(encap[0]!, 'eContentType');
  let content: Uint8Array | undefined;
  if (encap[1]) {
    const [octets] = contextChildren(encap[1], 0, 'eContent');
    content = octetString(octets!, 'eContent');
  }
  const certificates: Uint8Array[] = [];
  for (; i < fields.length - 1; i++) {
    const f = fields[i]!;
    if (f.idBlock.tagClass === 3 && f.idBlock.tagNumber === 0) {
      for (const c of childrenOf(f)) {
        // CertificateChoices: only a plain Certificate (a SEQUENCE) is a certificate.
        if (c.idBlock.tagClass === 1 && c.idBlock.tagNumber === 16) certificates.push(raw(c));
      }
    }
  }
  const signerSet = fields[fields.length - 1]!;
  if (!(signerSet instanceof asn1().Set)) throw malformed('SignedData.signerInfos');
  const signers = childrenOf(signerSet).map(readSignerInfo);
  return { contentType: eContentType, content, certificates, signers };
}

function readSignerInfo(el: asn1js.AsnType): ParsedSignerInfo {
  const f = seq(el, 'SignerInfo', 5);
  let i = 1;
  const sidEl = f[i++]!;
  let sid: ParsedSignerInfo['sid'];
  if (sidEl instanceof asn1().Sequence) {
    const [issuer, serial] = seq(sidEl, 'IssuerAndSerialNumber', 2);
    if (!(serial instanceof asn1().Integer)) throw malformed('IssuerAndSerialNumber.serialNumber');
    sid = { issuer: raw(issuer!), serialNumber: serial.valueBlock.valueHexView };
  } else if (sidEl.idBlock.tagClass === 3 && sidEl.idBlock.tagNumber === 0) {
    sid = { subjectKeyIdentifier: (sidEl as asn1js.Primitive).valueBlock.valueHexView };
  } else {
    throw malformed('SignerInfo.sid');
  }
  const digestAlgorithm = oid(seq(f[i++]!, 'digestAlgorithm', 1)[0]!, 'digestAlgorithm');
  const info: ParsedSignerInfo = {
    sid,
    digestAlgorithm,
    signatureAlgorithm: '',
    signature: new Uint8Array(),
  };
  const maybeAttrs = f[i]!;
  if (maybeAttrs.idBlock.tagClass === 3 && maybeAttrs.idBlock.tagNumber === 0) {
    const bytes = new Uint8Array(raw(maybeAttrs));
    // RFC 5652 §5.4: the signature covers the DER of the attributes with an explicit SET OF
    // tag, not the [0] IMPLICIT tag they carry inside SignerInfo.
    bytes[0] = 0x31;
    info.signedAttrs = bytes;
    for (const attr of childrenOf(maybeAttrs)) {
      const [typeEl, values] = seq(attr, 'Attribute', 2);
      const type = oid(typeEl!, 'Attribute.type');
      const value = childrenOf(values!)[0];
      if (!value) continue;
      if (type === OID.contentType) info.contentTypeAttr = oid(value, 'contentType attribute');
      else if (type === OID.messageDigest) info.messageDigestAttr = octetString(value, 'messageDigest attribute');
      else if (
        type === OID.signingTime &&
        (value instanceof asn1().UTCTime || value instanceof asn1().GeneralizedTime)
      ) {
        info.signingTime = value.toDate();
      }
    }
    i++;
  }
  const [sigAlg, params] = seq(f[i++]!, 'signatureAlgorithm', 1);
  info.signatureAlgorithm = oid(sigAlg!, 'signatureAlgorithm');
  if (params && !(params instanceof asn1().Null)) info.signatureParams = params;
  const sig = f[i];
  if (!(sig instanceof asn1().OctetString)) throw malformed('SignerInfo.signature');
  info.signature = octetString(sig, 'signature');
  return info;
}

// ---- asn1js helpers -----------------------------------------------------------------------

function malformed(where: string): SignatureError {
  return new SignatureError(`Malformed CMS SignedData: unexpected structure at ${where}`);
}

function childrenOf(el: asn1js.AsnType): asn1js.AsnType[] {
  const v = (el.valueBlock as { value?: unknown }).value;
  return Array.isArray(v) ? (v as asn1js.AsnType[]) : [];
}

function seq(el: asn1js.AsnType, where: string, min: number): asn1js.AsnType[] {
  if (!(el instanceof asn1().Sequence)) throw malformed(where);
  const c = childrenOf(el).filter((x) => !(x instanceof asn1().EndOfContent));
  if (c.length < min) throw malformed(where);
  return c;
}

function contextChildren(el: asn1js.AsnType, tag: number, where: string): asn1js.AsnType[] {
  if (el.idBlock.tagClass !== 3 || el.idBlock.tagNumber !== tag) throw malformed(where);
  const c = childrenOf(el).filter((x) => !(x instanceof asn1().EndOfContent));
  if (c.length < 1) throw malformed(where);
  return c;
}

function oid(el: asn1js.AsnType, where: string): string {
  if (!(el instanceof asn1().ObjectIdentifier)) throw malformed(where);
  return el.getValue();
}

/** An OCTET STRING's bytes; BER constructed strings are concatenated chunk by chunk. */
function octetString(el: asn1js.AsnType, where: string): Uint8Array {
  if (!(el instanceof asn1().OctetString)) throw malformed(where);
  if (!el.idBlock.isConstructed) return el.valueBlock.valueHexView;
  const parts = childrenOf(el)
    .filter((x) => !(x instanceof asn1().EndOfContent))
    .map((c) => octetString(c, where));
  return new Uint8Array(Buffer.concat(parts));
}

/** The element's original encoding. */
function raw(el: asn1js.AsnType): Uint8Array {
  return el.valueBeforeDecodeView;
}
