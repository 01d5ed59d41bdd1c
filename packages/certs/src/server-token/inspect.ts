/**
 * `inspectServerToken`: who a server token was made for, without any key.
 */
import { CERTIFICATE_INPUT_RULE, checkArgument, INPUT_RULE } from '../internal/args.js';
import { type CertificateInput, readCertificate } from '../internal/cms/certificate.js';
import { recipientMatches } from '../internal/cms/decrypt.js';
import { type Envelope, parseEnvelope } from '../internal/cms/enveloped-data.js';
import { type CmsEncoding, readCmsInput } from '../internal/cms/input.js';
import { CONTENT_TYPE, contentCipherByOid, describeOid, KEY_ENCRYPTION } from '../internal/cms/oids.js';
import { guardInput } from '../internal/guard.js';

export type { CertificateInput } from '../internal/cms/certificate.js';
/** How a server token file was encoded: `smime` (as downloaded), `pem`, `der` or bare `base64`. */
export type ServerTokenEncoding = CmsEncoding;

/** An algorithm: its OID, its openssl name (or the OID when unknown) and, for ciphers, the key size. */
export interface AlgorithmInfo {
  /** Dotted OID, e.g. `2.16.840.1.101.3.4.1.2`. */
  oid: string;
  /** openssl's name, e.g. `aes-128-cbc`, `rsaEncryption`, `rsaesOaep`; the OID when unknown. */
  name: string;
  /** Key size in bits, for content ciphers whose OID fixes it. */
  keyBits?: number;
}

/**
 * A key-transport recipient (`KeyTransRecipientInfo`): the kind Apple uses, naming the
 * certificate uploaded to Apple School Manager by issuer and serial number.
 */
export interface KeyTransportRecipientInfo {
  kind: 'ktri';
  /** Issuer of the recipient certificate, RFC 4514 (`CN=depserver`); undefined when identified by key id. */
  issuer: string | undefined;
  /** Serial number of the recipient certificate, uppercase hex as `X509Certificate#serialNumber`. */
  serialNumber: string | undefined;
  /** Uppercase hex subject key identifier, for recipients identified that way (CMS version 2). */
  subjectKeyIdentifier: string | undefined;
  /** `rsaEncryption` (PKCS#1 v1.5, what Apple uses) or e.g. `rsaesOaep`. */
  keyEncryptionAlgorithm: AlgorithmInfo;
}

/** A recipient of another kind (key agreement, KEK, password, other); listed but never decrypted. */
export interface OtherRecipientInfo {
  kind: 'kari' | 'kekri' | 'pwri' | 'ori';
  /** The key-encryption algorithm (or `oriType`) when it could be read. */
  keyEncryptionAlgorithm: AlgorithmInfo | undefined;
}

/** One recipient of a server token. */
export type ServerTokenRecipient = KeyTransportRecipientInfo | OtherRecipientInfo;

/** What `inspectServerToken` tells about a server token without decrypting it. */
export interface ServerTokenInspection {
  /** `envelopedData` for Apple tokens; `authEnvelopedData` (AES-GCM) is listed but not decryptable. */
  contentType: 'envelopedData' | 'authEnvelopedData';
  /** How the file was encoded: S/MIME (`*_smime.p7m` as downloaded), PEM, DER or bare Base64. */
  encoding: ServerTokenEncoding;
  /** The content cipher, e.g. `{ oid: '2.16.840.1.101.3.4.1.2', name: 'aes-128-cbc', keyBits: 128 }`. */
  contentEncryptionAlgorithm: AlgorithmInfo;
  /** Every recipient, in file order. Apple tokens have exactly one. */
  recipients: ServerTokenRecipient[];
  /** True when `decryptServerToken` supports the content cipher and at least one recipient. */
  decryptable: boolean;
  /**
   * True when a recipient names this certificate (issuer and serial number, or subject key
   * identifier): the token was made for it. Use before uploading a token to an MDM, with the
   * MDM's public certificate. Throws `MalformedInputError` if the certificate cannot be read.
   */
  matchesCertificate(certificatePem: CertificateInput): boolean;
}

/**
 * Lists a server token's recipients and algorithms without any key: which certificate it was
 * encrypted to, and whether it can be decrypted.
 *
 * @param input - the `*_smime.p7m` content (string or bytes; CRLF or LF), PEM (`PKCS7`/`CMS`),
 *   DER, or bare Base64.
 * @throws `MalformedInputError` when the input is not a CMS file, `NotEnvelopedDataError` when it
 *   is CMS of another type (e.g. SignedData).
 * @example
 * ```ts
 * const info = inspectServerToken(readFileSync('mdm_Token_2025-01-17T11-02-21Z_smime.p7m'));
 * if (!info.matchesCertificate(readFileSync('mosyle-public-key.pem', 'utf8'))) {
 *   throw new Error(`Token made for ${info.recipients.map((r) => r.kind === 'ktri' && r.issuer).join(', ')}`);
 * }
 * ```
 */
export function inspectServerToken(input: string | Uint8Array): ServerTokenInspection {
  checkArgument('input', input, INPUT_RULE);
  return guardInput('server token', () => {
    const { der, encoding } = readCmsInput(input, 'server token');
    const envelope = parseEnvelope(der, 'server token');
    return describeEnvelope(envelope, encoding);
  });
}

function describeEnvelope(envelope: Envelope, encoding: CmsEncoding): ServerTokenInspection {
  const recipients: ServerTokenRecipient[] = envelope.recipients.map((r) =>
    r.kind === 'ktri'
      ? {
          kind: 'ktri',
          issuer: r.issuer,
          serialNumber: r.serialNumber,
          subjectKeyIdentifier: r.subjectKeyIdentifier,
          keyEncryptionAlgorithm: describeOid(r.keyEncryptionAlgorithm.oid),
        }
      : {
          kind: r.kind,
          keyEncryptionAlgorithm:
            r.keyEncryptionAlgorithm === undefined ? undefined : describeOid(r.keyEncryptionAlgorithm),
        },
  );
  const keyTransport = envelope.recipients.filter((r) => r.kind === 'ktri');
  const decryptable =
    envelope.contentType === CONTENT_TYPE.envelopedData &&
    contentCipherByOid(envelope.contentEncryptionAlgorithm.oid) !== undefined &&
    keyTransport.some((r) => r.keyEncryptionAlgorithm.oid === KEY_ENCRYPTION.rsaEncryption);
  return {
    contentType: envelope.contentType === CONTENT_TYPE.envelopedData ? 'envelopedData' : 'authEnvelopedData',
    encoding,
    contentEncryptionAlgorithm: describeOid(envelope.contentEncryptionAlgorithm.oid),
    recipients,
    decryptable,
    matchesCertificate(certificatePem: CertificateInput): boolean {
      checkArgument('certificatePem', certificatePem, CERTIFICATE_INPUT_RULE);
      return guardInput('certificate', () => {
        const certificate = readCertificate(certificatePem);
        return keyTransport.some((r) => recipientMatches(r, certificate));
      });
    },
  };
}
