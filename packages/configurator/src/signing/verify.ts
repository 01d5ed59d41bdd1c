/**
 * `verifySignedProfile`: check a signed `.mobileconfig` and get its exact content back.
 */
import { constants, createHash, type KeyObject, verify, X509Certificate } from 'node:crypto';
import { isSchoolMdmError } from '@schoolmdm/core';
import type * as asn1js from 'asn1js';
import { SignatureError } from '../errors.js';
import { checkInput, sanitizedCause } from '../internal/args.js';
import { asn1js as asn1 } from '../internal/lazy-deps.js';
import { type CertificateIds, certificateIds, sameInteger } from './certificate.js';
import { formatName } from './name.js';
import { DIGESTS, SIGNATURE_ALGORITHMS } from './oids.js';
import { cmsBytes, type ParsedSignerInfo, parseSignedData } from './parse.js';
import { toPem } from './pem.js';

/** The certificate that signed a profile. */
export interface ProfileSigner {
  /**
   * Subject DN in RFC 4514 form, most specific first, e.g. `CN=profiles.example.org,O=Example School,C=DE`
   * (the same printer as `@schoolmdm/certs`, from `@schoolmdm/core`).
   */
  subject: string;
  /** Issuer DN, RFC 4514 form like {@link subject}. */
  issuer: string;
  /** Serial number, upper-case hex. */
  serialNumber: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 fingerprint of the certificate, `AB:CD:…`, as `openssl x509 -fingerprint -sha256` prints it. */
  fingerprintSha256: string;
  /** The certificate, PEM. */
  certificatePem: string;
}

/** What {@link verifySignedProfile} found. */
export interface VerifiedProfile {
  /** The embedded content, byte for byte as it was signed (normally the XML plist). */
  content: Uint8Array;
  /** The signer's certificate. */
  signer: ProfileSigner;
  /** Every certificate in the SignedData as PEM, the signer's first, then the others in file order. */
  chain: string[];
  /**
   * True when the content's digest matches the signed `messageDigest`, the signed content
   * type matches, and the signature verifies with the signer certificate's public key, for
   * every SignerInfo. The chain is *not* validated against trust anchors: that is what a
   * device does ("Verified" needs a chain it trusts).
   */
  signatureValid: boolean;
  /** Why `signatureValid` is false; empty when it is true. */
  problems: string[];
  /** The signed `signingTime` attribute, when present. */
  signingTime?: Date;
}

/**
 * Verifies a signed profile (CMS SignedData, DER or PEM, BER indefinite lengths and chunked
 * content as Apple's `security cms` writes them) and returns its exact content, signer and
 * certificates.
 *
 * A profile that parses but whose content was altered, or whose signature is wrong, is not
 * an error: it comes back with `signatureValid: false` and the reasons in `problems`, so a
 * caller can show what is wrong.
 *
 * @throws {SignatureError} only when the input cannot be checked at all: not CMS, not
 *   SignedData, no embedded content (detached), no SignerInfo, the signer's certificate
 *   missing from the file, or an unsupported digest/signature algorithm.
 * @example
 * const { content, signer, signatureValid } = verifySignedProfile(await readFile('enroll.mobileconfig'));
 */
export function verifySignedProfile(bytes: Uint8Array | string): VerifiedProfile {
  checkInput('verifySignedProfile()', 'bytes', bytes);
  try {
    return verify_(bytes);
  } catch (e) {
    if (isSchoolMdmError(e)) throw e;
    // Anything a library throws on hostile input (node:crypto on a key or certificate it
    // cannot decode, asn1js) is a malformed file, not a crash (issue #15 item 11).
    throw new SignatureError('The signed profile is malformed and cannot be checked', {
      cause: sanitizedCause(e),
      hint: 'the file is damaged, or not a signed .mobileconfig',
    });
  }
}

function verify_(bytes: Uint8Array | string): VerifiedProfile {
  const sd = parseSignedData(cmsBytes(bytes));
  if (sd.content === undefined) {
    throw new SignatureError('The signed profile has no embedded content (detached signature)', {
      hint: 'a signed profile must carry the plist inside the CMS (openssl cms -sign -nodetach -binary)',
    });
  }
  const content = sd.content;
  const [first, ...others] = sd.signers;
  if (!first) throw new SignatureError('The CMS SignedData has no SignerInfo (it is not signed)');

  const problems: string[] = [];
  const { der: signerDer, ids: signerIds } = findSignerCertificate(first, sd.certificates);
  problems.push(...checkSigner(first, signerDer, content, sd.contentType));
  for (const [i, s] of others.entries()) {
    problems.push(
      ...checkSigner(s, findSignerCertificate(s, sd.certificates).der, content, sd.contentType).map(
        (p) => `signer ${i + 2}: ${p}`,
      ),
    );
  }

  const x509 = parseX509(signerDer);
  const chain = [signerDer, ...sd.certificates.filter((c) => c !== signerDer)].map((c) => toPem('CERTIFICATE', c));
  const result: VerifiedProfile = {
    content,
    signer: {
      subject: printName(signerIds.subject),
      issuer: printName(signerIds.issuer),
      serialNumber: x509.serialNumber.toUpperCase(),
      notBefore: new Date(x509.validFrom),
      notAfter: new Date(x509.validTo),
      fingerprintSha256: x509.fingerprint256,
      certificatePem: chain[0]!,
    },
    chain,
    signatureValid: problems.length === 0,
    problems,
  };
  if (first.signingTime) result.signingTime = first.signingTime;
  return result;
}

function findSignerCertificate(
  signer: ParsedSignerInfo,
  certificates: Uint8Array[],
): { der: Uint8Array; ids: CertificateIds } {
  for (const der of certificates) {
    let ids: ReturnType<typeof certificateIds>;
    try {
      ids = certificateIds(der, 'a certificate in the SignedData');
    } catch {
      continue;
    }
    const sid = signer.sid;
    if ('issuer' in sid) {
      if (Buffer.compare(ids.issuer, sid.issuer) === 0 && sameInteger(ids.serialNumber, sid.serialNumber)) {
        return { der, ids };
      }
    } else if (ids.subjectKeyIdentifier && Buffer.compare(ids.subjectKeyIdentifier, sid.subjectKeyIdentifier) === 0) {
      return { der, ids };
    }
  }
  throw new SignatureError("The signer's certificate is not included in the signed profile", {
    hint: 'the profile cannot be checked without it; ask its publisher to sign with the certificate included',
  });
}

function checkSigner(
  signer: ParsedSignerInfo,
  certDer: Uint8Array,
  content: Uint8Array,
  contentType: string,
): string[] {
  const digestName = DIGESTS[signer.digestAlgorithm];
  if (!digestName) throw new SignatureError(`Unsupported digest algorithm ${signer.digestAlgorithm}`);
  const alg = SIGNATURE_ALGORITHMS[signer.signatureAlgorithm];
  if (!alg) throw new SignatureError(`Unsupported signature algorithm ${signer.signatureAlgorithm}`);

  const problems: string[] = [];
  let signedBytes: Uint8Array = content;
  if (signer.signedAttrs) {
    const digest = createHash(digestName).update(content).digest();
    if (!signer.messageDigestAttr) problems.push('the signed attributes lack a messageDigest');
    else if (Buffer.compare(digest, signer.messageDigestAttr) !== 0) {
      problems.push('the content does not match the signed message digest (it was altered after signing)');
    }
    if (signer.contentTypeAttr !== contentType) {
      problems.push('the signed contentType attribute does not match the content type');
    }
    signedBytes = signer.signedAttrs;
  }
  let key: KeyObject;
  try {
    key = parseX509(certDer).publicKey;
  } catch (e) {
    if (isSchoolMdmError(e)) throw e;
    // e.g. ERR_OSSL_EVP_DECODE_ERROR from the publicKey getter (issue #15 item 11).
    throw new SignatureError("The signer certificate's public key cannot be decoded", {
      cause: sanitizedCause(e),
      hint: 'the certificate in the signed profile is damaged',
    });
  }
  if (!verifySignature(alg, signer, digestName, key, signedBytes)) {
    problems.push("the signature does not verify with the signer certificate's public key");
  }
  return problems;
}

function verifySignature(
  alg: (typeof SIGNATURE_ALGORITHMS)[string] & {},
  signer: ParsedSignerInfo,
  digestName: string,
  key: KeyObject,
  data: Uint8Array,
): boolean {
  const hash = alg.hash ?? digestName;
  try {
    switch (alg.kind) {
      case 'rsa':
        return verify(hash, data, { key, padding: constants.RSA_PKCS1_PADDING }, signer.signature);
      case 'ecdsa':
        return verify(hash, data, { key, dsaEncoding: 'der' }, signer.signature);
      case 'eddsa':
        return verify(null, data, key, signer.signature);
      case 'pss': {
        const pss = pssParams(signer.signatureParams);
        return verify(
          pss.hash,
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: pss.saltLength },
          signer.signature,
        );
      }
    }
  } catch (e) {
    if (e instanceof SignatureError) throw e;
    // A key that cannot perform this algorithm (e.g. an EC certificate with an RSA
    // signature) is a signature that does not verify, not an unreadable file.
    return false;
  }
}

/** RSASSA-PSS-params (RFC 4055 §3.1): hashAlgorithm [0] (default SHA-1), saltLength [2] (default 20). */
function pssParams(params: asn1js.AsnType | undefined): { hash: string; saltLength: number } {
  let hash = 'sha1';
  let saltLength = 20;
  const fields = params instanceof asn1().Sequence ? params.valueBlock.value : [];
  for (const f of fields) {
    const inner = (f as asn1js.Constructed).valueBlock?.value?.[0];
    if (f.idBlock.tagNumber === 0 && inner instanceof asn1().Sequence) {
      const oid = inner.valueBlock.value[0];
      const name = oid instanceof asn1().ObjectIdentifier ? DIGESTS[oid.getValue()] : undefined;
      if (!name) throw new SignatureError('Unsupported RSASSA-PSS hash algorithm');
      hash = name;
    } else if (f.idBlock.tagNumber === 2 && inner instanceof asn1().Integer) {
      saltLength = inner.valueBlock.valueDec;
    }
  }
  return { hash, saltLength };
}

function parseX509(der: Uint8Array): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (e) {
    throw new SignatureError('The signer certificate in the signed profile cannot be parsed', {
      cause: sanitizedCause(e),
      hint: 'the certificate inside the file is damaged or not X.509',
    });
  }
}

function printName(der: Uint8Array): string {
  try {
    return formatName(der);
  } catch (e) {
    throw new SignatureError('The signer certificate has a malformed name', { cause: sanitizedCause(e) });
  }
}
