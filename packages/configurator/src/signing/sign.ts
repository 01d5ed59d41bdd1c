/**
 * `signCms`: attached CMS SignedData (RFC 5652), DER, the way Apple wants a signed profile:
 * "To sign a profile, place the XML plist in a DER-encoded CMS Signed Data data structure"
 * (Configuration Profile Reference, "Signing a Profile").
 *
 * The structure is assembled with a minimal DER encoder (`der.ts`, so embedded certificates
 * and signed attributes keep their exact bytes); the signature itself is computed by
 * `node:crypto.sign` (native OpenSSL), which is what makes this an order of magnitude
 * faster than node-forge's pure-JS RSA (see `bench/sign.bench.ts`).
 */
import { createHash, createPrivateKey, type KeyObject, sign, X509Certificate } from 'node:crypto';
import { InvalidArgumentError } from '@schoolmdm/core';
import { SignatureError } from '../errors.js';
import { checkDate, checkOptions, kindOf } from '../internal/args.js';
import { certificateIds } from './certificate.js';
import * as der from './der.js';
import { TAG } from './der.js';
import { OID } from './oids.js';
import { certificatesFromPem } from './pem.js';

/** Options of {@link signCms}. */
export interface SignCmsOptions {
  /** The signer's certificate, PEM. Only the first `CERTIFICATE` block is used. */
  certificatePem: string;
  /** The signer's private key, PEM (PKCS#8, PKCS#1 or SEC1; encrypted with {@link privateKeyPassphrase}). RSA or EC. */
  privateKeyPem: string;
  /** Passphrase of an encrypted `privateKeyPem`. Never stored or echoed. */
  privateKeyPassphrase?: string;
  /**
   * Intermediate certificates to include after the signer's (PEM, one string with several
   * blocks or an array). Devices may not fetch intermediates themselves, so include the
   * chain up to, not necessarily including, the root.
   */
  chainPem?: string | readonly string[];
  /**
   * The `signingTime` signed attribute. Pass a fixed date for byte-reproducible output
   * (RSA PKCS#1 v1.5 signatures are deterministic), or `null` to omit the attribute.
   * Milliseconds are dropped.
   * @default new Date()
   */
  signingTime?: Date | null;
}

const SIGN_OPTIONS = ['certificatePem', 'privateKeyPem', 'privateKeyPassphrase', 'chainPem', 'signingTime'] as const;

/**
 * Signs `content` (the profile's bytes, e.g. `new TextEncoder().encode(writePlist(model))`)
 * as a DER CMS SignedData with the content attached.
 *
 * - digest SHA-256; signature RSA PKCS#1 v1.5 (`rsaEncryption`, as OpenSSL and Apple's
 *   `security cms` write it) or ECDSA with SHA-256;
 * - signed attributes `contentType` (id-data), `signingTime` and `messageDigest`, in DER
 *   order;
 * - `certificates` = the signer, then `chainPem` in the order given.
 *
 * Content is taken as bytes, never as a JS string: passing a string through an encoder that
 * assumes Latin-1 silently corrupts umlauts and emoji (a node-forge pitfall: forge's
 * `util.createBuffer` treats a string as binary).
 *
 * @throws {SignatureError} when a PEM cannot be read, the key does not match the certificate,
 *   or the key type is not RSA or EC. Messages never include key material.
 * @example
 * const signed = signCms(new TextEncoder().encode(writePlist(profile)), { certificatePem, privateKeyPem, chainPem });
 * await writeFile('wifi.mobileconfig', signed);
 * @see https://datatracker.ietf.org/doc/html/rfc5652#section-5 RFC 5652 §5 SignedData
 */
export function signCms(content: Uint8Array, options: SignCmsOptions): Uint8Array {
  return createCmsSigner(options).sign(content);
}

/** A prepared signer: see {@link createCmsSigner}. */
export interface CmsSigner {
  /**
   * Signs `content` like {@link signCms}.
   * @param options.signingTime overrides the signer's `signingTime` for this call (`null` omits it).
   */
  sign(content: Uint8Array, options?: { signingTime?: Date | null }): Uint8Array;
}

/**
 * Reads the key and certificates once and returns a signer for many profiles: the PEM
 * parsing and the key/certificate check that {@link signCms} repeats on every call happen
 * here only (they cost about as much as the RSA signature itself). The key lives in a
 * `KeyObject` inside the closure and is never exposed.
 *
 * @throws {SignatureError} as {@link signCms} does.
 * @example
 * const signer = createCmsSigner({ certificatePem, privateKeyPem, chainPem });
 * for (const p of profiles) await writeFile(p.file, signer.sign(new TextEncoder().encode(writePlist(p.model))));
 */
export function createCmsSigner(options: SignCmsOptions): CmsSigner {
  const fn = 'createCmsSigner()';
  if (options === undefined || options === null) {
    throw new InvalidArgumentError('options', `${fn} needs { certificatePem, privateKeyPem }`);
  }
  const o = checkOptions(fn, options, SIGN_OPTIONS);
  const { certificatePem, privateKeyPem } = o;
  for (const [name, v] of [
    ['certificatePem', certificatePem],
    ['privateKeyPem', privateKeyPem],
  ] as const) {
    if (typeof v !== 'string') {
      throw new InvalidArgumentError(`options.${name}`, `${fn} expects a PEM string, got ${kindOf(v)}`);
    }
  }
  if (o.privateKeyPassphrase !== undefined && typeof o.privateKeyPassphrase !== 'string') {
    throw new InvalidArgumentError(
      'options.privateKeyPassphrase',
      `${fn} expects a string, got ${kindOf(o.privateKeyPassphrase)}`,
    );
  }
  if (o.signingTime !== undefined && o.signingTime !== null) checkDate(fn, 'options.signingTime', o.signingTime);
  if (
    o.chainPem !== undefined &&
    typeof o.chainPem !== 'string' &&
    !(Array.isArray(o.chainPem) && o.chainPem.every((c) => typeof c === 'string'))
  ) {
    throw new InvalidArgumentError('options.chainPem', `${fn} expects a PEM string or an array of them`);
  }
  const [signerDer] = certificatesFromPem(certificatePem, 'certificatePem');
  if (!signerDer) throw new SignatureError('certificatePem is empty');
  const chain = options.chainPem === undefined ? [] : certificatesFromPem(options.chainPem, 'chainPem');
  const key = readPrivateKey(privateKeyPem, options.privateKeyPassphrase);

  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(signerDer);
  } catch {
    throw new SignatureError('certificatePem is not a valid X.509 certificate');
  }
  if (!x509.checkPrivateKey(key)) {
    throw new SignatureError('privateKeyPem does not belong to certificatePem', {
      hint: 'pass the key the certificate was issued for (compare `openssl x509 -noout -pubkey` with `openssl pkey -pubout`)',
    });
  }
  const algorithm = signatureAlgorithm(key);
  const ids = certificateIds(signerDer, 'certificatePem');
  const signOptions = algorithm.kind === 'ec' ? { key, dsaEncoding: 'der' as const } : key;
  // Everything that does not depend on the content is encoded once.
  const sid = der.tlv(TAG.sequence, ids.issuer, der.integerBytes(ids.serialNumber));
  const digestAlgorithm = algorithmIdentifier(OID.sha256);
  const signatureAlgorithmId = algorithmIdentifier(algorithm.oid, algorithm.kind === 'rsa');
  const certificates = der.tlv(TAG.context(0), signerDer, ...chain);
  const contentTypeAttr = attribute(OID.contentType, der.oid(OID.data));
  const defaultTime = options.signingTime;

  return {
    sign(content, callOptions) {
      if (!(content instanceof Uint8Array)) {
        throw new InvalidArgumentError(
          'content',
          `sign() expects the content as a Uint8Array, got ${kindOf(content)}`,
          {
            hint: 'encode the XML first: new TextEncoder().encode(xml)',
          },
        );
      }
      checkOptions('sign()', callOptions, ['signingTime']);
      callOptions ??= {};
      if (callOptions.signingTime !== undefined && callOptions.signingTime !== null) {
        checkDate('sign()', 'options.signingTime', callOptions.signingTime);
      }
      // Signed attributes, sorted by their encodings because DER orders a SET OF that way
      // (X.690 §11.6): a verifier that re-encodes them (OpenSSL does) would otherwise hash
      // different bytes than we signed.
      const attrs: Uint8Array[] = [
        contentTypeAttr,
        attribute(OID.messageDigest, der.tlv(TAG.octetString, createHash('sha256').update(content).digest())),
      ];
      const requested = callOptions.signingTime !== undefined ? callOptions.signingTime : defaultTime;
      const time = requested === undefined ? new Date() : requested;
      if (time !== null) attrs.push(attribute(OID.signingTime, signingTime(time)));
      attrs.sort(Buffer.compare);
      // RFC 5652 §5.4: the signature covers the attributes tagged SET OF; SignerInfo carries
      // the same content under [0] IMPLICIT.
      const signature = sign('sha256', der.tlv(TAG.set, ...attrs), signOptions);

      const signerInfo = der.tlv(
        TAG.sequence,
        der.smallInteger(1),
        sid,
        digestAlgorithm,
        der.tlv(TAG.context(0), ...attrs),
        signatureAlgorithmId,
        der.tlv(TAG.octetString, signature),
      );
      const signedData = der.tlv(
        TAG.sequence,
        der.smallInteger(1),
        der.tlv(TAG.set, digestAlgorithm),
        der.tlv(TAG.sequence, der.oid(OID.data), der.tlv(TAG.context(0), der.tlv(TAG.octetString, content))),
        certificates,
        der.tlv(TAG.set, signerInfo),
      );
      return der.tlv(TAG.sequence, der.oid(OID.signedData), der.tlv(TAG.context(0), signedData));
    },
  };
}

function readPrivateKey(pem: string, passphrase: string | undefined): KeyObject {
  // Issue #16: an encrypted key without a passphrase used to surface OpenSSL's
  // ERR_OSSL_CRYPTO_INTERRUPTED_OR_CANCELLED; say what is missing instead.
  const encrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,\s*ENCRYPTED/.test(pem);
  if (encrypted && passphrase === undefined) {
    throw new SignatureError('privateKeyPem is encrypted and no passphrase was given', {
      hint: 'pass its passphrase as the privateKeyPassphrase option',
    });
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(
      passphrase === undefined ? { key: pem, format: 'pem' } : { key: pem, format: 'pem', passphrase },
    );
  } catch (e) {
    // The cause is not attached: OpenSSL's messages don't echo key material, but nothing
    // about the key belongs in an error that may be logged.
    const code = (e as { code?: string }).code;
    if (encrypted) {
      throw new SignatureError('privateKeyPem could not be decrypted with privateKeyPassphrase', {
        hint: 'check the passphrase (privateKeyPassphrase option)',
      });
    }
    throw new SignatureError(`privateKeyPem could not be read as a PEM private key${code ? ` (${code})` : ''}`, {
      hint: 'pass a "-----BEGIN PRIVATE KEY-----" (or RSA/EC PRIVATE KEY) PEM, and privateKeyPassphrase if it is encrypted',
    });
  }
  return key;
}

function signatureAlgorithm(key: KeyObject): { kind: 'rsa' | 'ec'; oid: string } {
  if (key.asymmetricKeyType === 'rsa') return { kind: 'rsa', oid: OID.rsaEncryption };
  if (key.asymmetricKeyType === 'ec') return { kind: 'ec', oid: OID.ecdsaWithSha256 };
  throw new SignatureError(`Unsupported signer key type ${key.asymmetricKeyType ?? 'unknown'}`, {
    hint: 'sign profiles with an RSA or EC (P-256/P-384) key',
  });
}

function attribute(type: string, value: Uint8Array): Uint8Array {
  return der.tlv(TAG.sequence, der.oid(type), der.tlv(TAG.set, value));
}

function signingTime(date: Date): Uint8Array {
  const t = date instanceof Date ? date.getTime() : Number.NaN;
  if (Number.isNaN(t)) throw new SignatureError('signingTime is an invalid Date');
  return der.time(new Date(Math.floor(t / 1000) * 1000));
}

function algorithmIdentifier(algorithm: string, nullParams = false): Uint8Array {
  return nullParams ? der.tlv(TAG.sequence, der.oid(algorithm), der.NULL) : der.tlv(TAG.sequence, der.oid(algorithm));
}
